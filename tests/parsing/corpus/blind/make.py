"""Generate the blind test corpus: nineteen made-up 民生实事 lists in the layouts offices publish.

usage: python make.py OUTDIR

Every document is written from the data in this file: .docx (python-docx), .xlsx (openpyxl),
.pdf (the .docx converted by LibreOffice), .html and plain text (.txt, one of them GBK with CRLF).
The hand labels are in gold/NAME.json; nothing here is read by the labels.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# A project: (no, name, alias, items); an item: (text, lead units, partner units).

LICHENG = [
    (
        1,
        "幼有善育",
        "托育提质",
        [
            (
                "新增普惠性托位600个，每千人口托位数由3.2个提高到4.5个。新建公办幼儿园三所，新增学位1080个。",
                "区卫生健康局\n区教育和体育局",
                "各街道",
            ),
            ("为全区68所中小学更新课桌椅约1.2万套，投入资金2300万元。", "", ""),
        ],
    ),
    (
        2,
        "老有颐养",
        None,
        [
            (
                "建设社区嵌入式养老服务中心5处，新增养老床位260张，护理型床位占比达到65%以上。",
                "区民政局",
                "各街道、区财政局",
            ),
            (
                "为80周岁以上老年人发放高龄津贴，标准由每人100元/月提高至150元/月，惠及老年人2.3万余人。",
                "区民政局",
                "",
            ),
        ],
    ),
    (
        3,
        "病有良医",
        None,
        [
            (
                "新建村卫生室12个，改造提升社区卫生服务站不少于8家；为65岁及以上老年人免费体检4.5万人次。",
                "区卫生健康局",
                "各街道",
            ),
            (
                "120急救站点增至6个，急救平均反应时间控制在12分钟以内。",
                "区卫生健康局",
                "区财政局",
            ),
        ],
    ),
    (
        4,
        "住有宜居",
        None,
        [
            (
                "改造老旧小区21个，涉及居民7860户、建筑面积52.6万平方米；加装电梯40部。",
                "区住房和城乡建设局",
                "各街道",
            ),
        ],
    ),
]

FUCHENG = [
    (
        "一、教育文体类（2件）",
        [
            (
                1,
                "新建改扩建学校",
                None,
                [
                    (
                        "新建涪城区实验小学等学校2所，改扩建学校4所，新增学位3600个，总投资2.8亿元。",
                        "区教体局",
                        "区发改局、区自然资源局",
                    )
                ],
            ),
            (
                2,
                "全民健身设施建设",
                None,
                [
                    (
                        "新建（更新）农村健身路径30条、社区多功能运动场5个，开展全民健身赛事活动不少于20场次。",
                        "区教体局",
                        "",
                    )
                ],
            ),
        ],
    ),
    (
        "二、城乡建设类（3件）",
        [
            (
                3,
                "背街小巷改造",
                None,
                [("改造背街小巷15条，长度约8.6公里；打通断头路3条。", "区住建局", "各街道办事处")],
            ),
            (
                4,
                "乡镇污水处理设施建设",
                None,
                [
                    (
                        "新建乡镇污水处理站3座，新增处理能力1500立方米/日，铺设管网12.5公里。",
                        "区水务局",
                        "区生态环境分局\n相关镇",
                    )
                ],
            ),
            (
                5,
                "农贸市场改造提升",
                None,
                [("改造提升农贸市场六个，新增摊位200余个。", "区商务局", "区市场监管局")],
            ),
        ],
    ),
]

# 序号, 项目名称, 责任单位, 建设地点, 主要内容, 投资金额（万元）, 完成时限, 配合单位
LUSONG = [
    (
        1,
        "城区供水管网改造",
        "区住建局",
        "建宁街道、白关镇",
        "改造老旧供水管网23.5公里，新建加压泵站2座，惠及居民约1.8万户。",
        4600,
        "2022年12月",
        "芦淞水务公司",
    ),
    (
        2,
        "学位扩容",
        "区教育局",
        "白关镇",
        "新建白关中学教学楼1栋，新增学位900个。",
        3200,
        "2022年8月",
        "区发改局、区财政局",
    ),
    (
        None,
        None,
        None,
        "建设街道",
        "新建公办幼儿园2所，公办园在园幼儿占比提高5个百分点。",
        2100,
        "2022年9月",
        None,
    ),
    (
        3,
        "稳岗就业",
        "区人社局",
        "全区",
        "新增城镇就业4000人以上，城镇登记失业率控制在4.5%以内，开展职业技能培训3000人次。",
        850,
        "2022年12月",
        "各街道（镇）",
    ),
    (
        4,
        "食品安全快检",
        "区市场监管局",
        "全区",
        "完成农贸市场快检室建设十二家，全年抽检食品不少于2500批次，食品抽检量达到5.5批次/千人。",
        300,
        "2022年11月",
        "",
    ),
]

SHUNDE = [
    (
        "1",
        "优质教育扩容（教育强区）",
        "新建、改扩建中小学校6所，新增公办学位8000个以上；为全区公办中小学配备心理健康教师不少于120名。",
        "区教育局",
    ),
    (
        "2",
        "医疗服务提升",
        "建设区域医疗中心1个，全区每千人口医疗卫生机构床位数达到6.2床/千人；家庭医生签约服务覆盖率提高至45%。",
        "区卫生健康局、区医保局",
    ),
    (
        "3",
        "公交出行便利",
        "新开或优化公交线路18条，新增公共充电桩1500个，改造公交候车亭约300座。",
        "区交通运输局",
    ),
    (
        "4",
        "住房保障",
        "筹集保障性租赁住房4000套（间），发放住房租赁补贴不少于1200户。",
        "区住房城乡建设和水利局",
    ),
    (
        "5",
        "城乡环境品质提升",
        "新建改造城市公园、口袋公园25个，新增绿道40公里，城市生活污水集中收集率达到85%。",
        "区住房城乡建设和水利局\n佛山市生态环境局顺德分局",
    ),
]

HUANGYAN_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>台州市黄岩区2021年民生实事项目_黄岩区人民政府</title>
<script>var _hmt = _hmt || []; var siteId = 331003; var visits = 12345;</script>
<style>.nav li{float:left;width:120px}</style>
</head>
<body>
<div class="header"><a href="/">黄岩区人民政府</a> <span>2021年11月28日 星期日</span></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li><li>12345热线</li></ul>
<div class="location">当前位置：首页 &gt; 政务公开 &gt; 民生实事</div>
<div class="article">
<h1>台州市黄岩区2021年民生实事项目</h1>
<p class="info">发布时间：2021-03-02 来源：区发改局 浏览次数：2047</p>
<table border="1" cellspacing="0">
<tr><th>序号</th><th>项目名称</th><th>主要内容</th><th>责任单位</th><th>配合单位</th></tr>
<tr><td rowspan="2">1</td><td rowspan="2">城乡供水提质</td>
<td>新建改造农村供水管网120公里，农村饮用水达标提标人口达到5.6万人。</td>
<td rowspan="2">区水利局</td><td rowspan="2">各镇（街道）</td></tr>
<tr><td>北洋水厂扩建后供水能力达10万立方米/日。</td></tr>
<tr><td>2</td><td>生活垃圾分类</td>
<td>新建农村生活垃圾资源化处理站4座，处理能力达120吨/日；实现城乡生活垃圾分类全覆盖。</td>
<td>区综合执法局</td><td>各镇（街道）</td></tr>
<tr><td rowspan="2">3</td><td rowspan="2">婴幼儿照护</td>
<td>新增托位500个，建成婴幼儿照护服务驿站10个。</td><td>区卫健局</td><td>区妇联</td></tr>
<tr><td>为3岁以下婴幼儿家庭提供入户指导服务不少于2000次。</td><td>区妇联</td><td></td></tr>
<tr><td>4</td><td>残疾人关爱</td>
<td>为全区重度残疾人提供托养照护服务1500名，为符合条件的残疾人家庭实施无障碍改造320户。</td>
<td>区残联</td><td>区民政局、区卫健局</td></tr>
</table>
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【打印本页】【关闭窗口】</div>
<div class="footer"><p>主办：台州市黄岩区人民政府办公室 联系电话：0576-84112345</p>
<p>网站标识码：3310030001 浙ICP备05001234号 浙公网安备 33100302000123号</p></div>
<script src="/js/stat.js"></script>
</body>
</html>
"""

XIGONG_HTML = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>洛阳市西工区2017年民生实事-西工区人民政府网</title>
<script type="text/javascript">document.write('<span>' + new Date().getFullYear() + '</span>');</script>
</head>
<body>
<div id="top"><div class="logo">洛阳市西工区人民政府</div>
<div class="menu"><a href="index.html">网站首页</a> | <a href="zwgk.html">政务公开</a> |
<a href="xxgk.html">信息公开</a> | <a href="hdjl.html">政民互动</a></div></div>
<div class="position">您现在的位置：首页 &gt;&gt; 政务公开 &gt;&gt; 通知公告</div>
<div class="content">
<h2 class="title">洛阳市西工区2017年民生实事</h2>
<div class="source">时间：2017-02-16 10:31 来源：区政府办公室 点击：1286</div>
<div class="TRS_Editor">
<p>区委、区政府确定2017年集中力量办好以下5件民生实事：</p>
<p>一、实施学前教育提升工程。新建公办幼儿园4所，新增学前教育学位1260个，普惠性幼儿园覆盖率达到80%以上。</p>
<p>牵头单位：区教体局；配合单位：区财政局、区住建局</p>
<p>二、改善群众出行条件。新建改造道路9条，总长约14.3公里；新增停车泊位2000个以上；新建公交候车亭50座。</p>
<p>牵头单位：区住建局；配合单位：区交警大队</p>
<p>三、提升城市供热能力。新增集中供热面积120万平方米，新增供热用户1.1万户，城区集中供热普及率由78%提高到85%。</p>
<p>牵头单位：区城管局；配合单位：市热力公司</p>
<p>四、推进社区卫生服务。为辖区65岁以上老年人免费健康体检2.6万人次，建成“15分钟健康服务圈”，家庭医生签约人数不少于3万人。</p>
<p>牵头单位：区卫计委；配合单位：各街道办事处</p>
<p>五、加强就业创业扶持。新增城镇就业5200人，发放创业担保贷款3500万元，帮扶就业困难人员再就业800人左右。</p>
<p>牵头单位：区人社局</p>
</div>
</div>
<div class="bottom">版权所有：洛阳市西工区人民政府 地址：洛阳市西工区纱厂南路9号 豫ICP备10012345号</div>
<script>var _bdhmProtocol = "https://"; var _count = 2017;</script>
</body>
</html>
"""

LUYANG_TXT = """合肥市庐阳区2023年民生实事项目

经区十八届人大三次会议票决，2023年庐阳区共实施民生实事项目6件：

1、优化养老服务供给。新建街道综合养老服务中心2个、社区养老服务站8个，为1200户特殊困难老年人家庭实施适老化改造。（责任单位：区民政局；配合单位：各街道、区财政局）

2、加强婴幼儿照护服务。新增普惠托位450个，每千人口拥有3岁以下婴幼儿托位数达到4.5个。（责任单位：区卫健委）

3、实施中小学“暖心午餐”工程。为全区36所中小学提供午餐供餐服务，惠及学生约2.7万名，学生午餐补助标准为每生每天4元。(责任单位:区教体局;配合单位:区市场监管局)

4、提升城市道路品质。改造提升道路12条，其中主干道3条、次支道路9条，修复人行道约4.6万平方米。（责任单位：区城管局、区住建局；配合单位：各街道）

5、推进老旧小区改造。改造老旧小区22个，惠及居民7000余户，同步新建电动自行车充电端口3000个。（责任单位：区住建局；配合单位：各街道）

6、增加公共文化服务。开展“送戏进社区”演出不少于100场，新建城市阅读空间两处，全年举办全民阅读活动300场次以上。（责任单位：区文旅体局）
"""

ZHANGGONG_TXT = """2020年章贡区民生实事项目安排

一、教育类（3件）
（1）新建章贡区第二十二小学，新增学位1620个，2020年9月投入使用。
牵头单位：区教科体局
配合单位：区发改委、区自然资源分局
（2）改善农村学校办学条件。为18所农村学校新建食堂，配备直饮水设备260台。
牵头单位：区教科体局
（3）开展中小学生课后服务。课后服务覆盖全区公办小学，参与学生比例达到70%以上。
牵头单位：区教科体局
配合单位：各中小学校
二、卫生健康类（2件）
（4）建设紧密型医联体。组建医联体3个，基层首诊率提高至65%，为辖区居民建立电子健康档案28万份。
牵头单位：区卫健委
配合单位：区医保局
（5）实施免费“两癌”筛查。为适龄妇女免费开展宫颈癌、乳腺癌筛查各1万人，其中农村妇女不少于6000人。
牵头单位：区卫健委、区妇联
三、民生保障类（1件）
（6）提高城乡低保标准。城市低保标准由每人每月620元提高至660元，农村低保标准提高到每人每月430元。
牵头单位：区民政局
配合单位：区财政局
"""

SIMING_TXT = (
    "本報訊　記者日前從思明區政府獲悉，思明區2018年為民辦實事項目已經確定，共5項："
    "第一項，新建改擴建中小學校３所，新增學位２７００個。"
    "第二項，改造老舊小區１５個，惠及居民約４２００戶。"
    "第三項，新增公共停車泊位３０００個以上，新建公共充電樁８００個。"
    "第四項，為轄區６５歲以上老年人提供居家養老服務，服務人數達１．２萬人。"
    "第五項，新建社區足球場１０片、健身步道２０公里，全年舉辦全民健身賽事５０場次。"
    "區政府將把各項任務分解到責任部門，確保年底前全部完成。\n"
)

CHANGAN_TXT = """石家庄市长安区2016年民生实事项目清单

（一）老有所享
1.新建社区居家养老服务站6个，为3000名70岁以上老人发放助餐补贴。
责任部门：区民政局
2.为全区60岁以上老年人免费开展健康体检，体检人数不少于1.8万人。
责任部门：区卫计局
（二）幼有所育
3.新建、改扩建公办幼儿园5所，新增学位1500个，公办园占比提高3个百分点。
责任部门：区教育局、区发改局
4.对辖区0-3岁婴幼儿家庭开展科学育儿指导服务4000户次。
责任部门：区卫计局
配合单位：各街道办事处
（三）住有所居
5.完成棚户区改造安置房建设2800套，其中回迁安置房2100套、公租房700套。
责任部门：区住建局
"""

GANJINGZI_TXT = """大连市甘井子区2024年民生实事项目

2024年，区政府计划实施民生实事项目共7项，具体如下：

1.学前教育扩容。新建幼儿园3所，新增学位810个。
责任单位：区教育局

2.公交优化。新辟调整公交线路10条，更新新能源公交车60辆，新建港湾式公交站两处。
责任单位：区交通局

3.燃气安全。完成老旧燃气管网改造约85公里，为1.6万户居民免费安装燃气泄漏报警装置。
责任单位：区住建局
配合单位：大连燃气集团

4.河道治理。治理河道4条，总长度12.8公里，新增防洪达标岸线7.5公里。
责任单位：区水务局

5.社区食堂。新建社区长者食堂20个，年供餐能力达到"""

WUHUA_TXT = """昆明市五华区２０２５年民生实事项目

一、就业增收工程
新增城镇就业１．２万人，城镇调查失业率控制在５．５%以内；开展补贴性职业技能培训５０００人次以上。
主办单位：区人社局
协办单位：区财政局、各街道

二、教育提质工程
新建、改扩建中小学、幼儿园７所，新增学位４５００个；为全区２．３万名小学生提供课后托管服务。
主办单位：区教育体育局

三、健康服务工程
建成社区医院４家，每千人口执业（助理）医师数达到３．６人，开展老年人健康管理服务６．８万人次。
主办单位：区卫生健康局
协办单位：各街道

四、宜居环境工程
改造城镇老旧小区３２个、涉及居民１．１万户，新建口袋公园１２个，新增绿地面积约１５万平方米。
主办单位：区住房城乡建设局
协办单位：区城管局、各街道

五、为老服务工程
为全区８０周岁以上老年人发放高龄补贴，标准为每人每月１００—３００元；新增养老床位３００张左右。
主办单位：区民政局
"""


YANTA_TXT = """西安市雁塔区2021年民生实事项目

为贯彻落实“十四五”规划开局要求，区政府确定2021年民生实事项目4项。

1.新建雁塔区第二小学（二期）教学楼，地上四层，新增学位540个，为全区一年级至三年级学生免费提供课后托管服务，覆盖学生1.5万余名。（牵头单位：区教育局；协办单位：区住建局）

2.改造提升G210国道雁塔段及城市道路8条，其中主干道改造长度不超过3.5公里，新增停车位600至800个。（牵头单位：区城管局；协办单位：区交警大队、各街道办事处）

3.畅通12345热线诉求办理渠道，群众诉求按期办结率达到95%以上，二、三级医院预约诊疗率达到90%。（牵头单位：区政务服务中心、区卫健委）

4.新建15分钟便民生活圈示范社区10个，社区综合服务设施面积每百户不少于30平方米，新增社区食堂约12家。（牵头单位：区商务局；协办单位：各街道办事处）
"""


XIAODIAN = [
    ["一、教育卫生类（2项）"],
    [
        1,
        "校园安全提升",
        "为全区112所中小学、幼儿园配备专职保安，安装一键报警装置112套，校园视频监控覆盖率达到100%。",
        "区教育局",
        "公安小店分局\n各街道",
        1560,
    ],
    [
        2,
        "基层医疗服务能力提升",
        "新建社区卫生服务中心2个，改造村卫生室35个，为家庭医生团队配备智能随访设备150台。",
        "区卫健局",
        "区财政局",
        2800,
    ],
    ["二、城市建设类（2项）"],
    [
        3,
        "燃气管道老化更新",
        "更新改造老化燃气管道186公里，其中市政管道42.5公里、庭院管道143.5公里，涉及居民3.8万户。",
        "区住建局",
        "太原天然气公司",
        9800,
    ],
    [4, "口袋公园建设", "新建口袋公园16个，新增绿化面积8.2公顷。", "区园林局", "各街道", 2400],
]

JIANGHAN = [
    (
        1,
        "社区养老服务",
        "新建社区老年人日间照料中心8个，为1.5万名居家老年人提供助餐、助洁等上门服务，政府购买服务资金不少于600万元。",
        "区民政局",
        "各街道办事处",
    ),
    (
        2,
        "背街小巷整治",
        "整治背街小巷60条，总面积约18万平方米，改造雨污管网9.6公里。",
        "区城管委",
        "区水务局、各街道办事处",
    ),
    (
        3,
        "学校标准化建设",
        "完成12所中小学标准化建设，新建塑胶运动场4片，更新教学计算机1200台。",
        "区教育局",
        "区财政局",
    ),
    (
        4,
        "就业援助",
        "新增就业岗位1.2万个，帮助城镇失业人员再就业3000人、就业困难人员再就业1000人，零就业家庭动态清零。",
        "区人社局",
        "",
    ),
    (
        5,
        "菜篮子工程",
        "新建改造标准化菜市场5个，设立平价菜销售网点30个，保障平价菜品种不少于15个。",
        "区商务局",
        "区物价局",
    ),
    (6, "便民交通", "新增公共自行车站点100个、公共自行车2500辆，新辟公交线路3条。", "区建设局", "公交集团"),
    (
        7,
        "文化惠民",
        "开展公益电影放映800场次，举办社区文化活动200场以上，新建社区图书室10个。",
        "区文体局",
        "各街道办事处",
    ),
    (
        8,
        "食品安全",
        "完成食品快速检测2.4万批次，农贸市场快检覆盖率达到100%，创建食品安全示范街2条。",
        "区食药监局",
        "",
    ),
]

CHONGCHUAN_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>崇川区2022年为民办实事项目</title>
<link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.min.js"></script></head>
<body>
<div class="top-bar">无障碍浏览 | 长者模式 | <a href="/en/">English</a></div>
<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/zmhd">政民互动</a></div>
<div class="article-content">
<p style="text-align:center"><strong>崇川区2022年为民办实事项目</strong></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（一）教育文化</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;1.新建、改扩建学校5所，新增学位4200个。（责任单位：区教体局）</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;2.建设城市书房6家，全年开展全民阅读活动不少于500场。<br/>责任单位：区文广旅局<br/>配合单位：各街道</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（二）健康养老</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;3.新增家庭养老床位300张，建设老年助餐点20个，惠及老人约5000人。（责任单位：区民政局；配合单位：各街道、区卫健委）</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;4.为全区1.2万名65周岁以上老年人提供免费流感疫苗接种。（责任单位：区卫健委）</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（三）城市更新</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;5.改造老旧小区18个，改造面积约65万平方米，惠及居民8600余户。（责任单位：区住建局；配合单位：各街道）</p>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a/1.html">2021年为民办实事项目完成情况</a></li></ul></div>
<div class="footer">南通市崇川区人民政府办公室主办 苏ICP备12045678号-1 网站标识码3206020003</div>
<script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");})();</script>
</body></html>
"""


QINGXIU_TXT = """南宁市青秀区2026年民生实事项目

第一项\u3000托育服务扩容
新建普惠托育机构3～5所，新增托位不少于1,200个，每千人口托位数达到4.8个。
牵头单位：区卫生健康局\u3000\u3000区教育局
配合单位：各街道办事处

第二项\u3000社会保障提标
城乡居民基础养老金在每人每月180元的基础上提高到200元；发放困难群众临时救助资金逾3000万元；为近两千名困难残疾人发放护理补贴。
牵头单位：区人力资源社会保障局\u3000区民政局\u3000区残联

第三项\u3000健康城市建设
新建社区卫生服务站至少6个，65岁以上老年人健康管理率提高2个百分点以上，全年开展义诊活动一百二十场次。
牵头单位：区卫生健康局
配合单位：各街道办事处\u3000各医疗机构

第四项\u3000城市内涝治理
改造雨水管网28.6公里，新建调蓄池2座、总容积约1.5万立方米，城区易涝点整治率达100%。
牵头单位：区住房城乡建设局
配合单位：区城管局

第五项\u3000就业帮扶
开发公益性岗位超过500个，发放创业担保贷款1.2亿元，扶持创业带动就业2000多人。
牵头单位：区人力资源社会保障局
"""

YUZHONG_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>渝中区2023年重点民生实事_重庆市渝中区人民政府</title></head>
<body>
<header><div class="logo">重庆市渝中区人民政府</div><nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a></nav></header>
<div class="crumb">首页 &gt; 政务公开 &gt; 重点民生实事</div>
<article>
<h1>渝中区2023年重点民生实事</h1>
<div class="meta">发布日期：2023-02-20　字号：大 中 小</div>
<table>
<thead>
<tr><th rowspan="2">序号</th><th rowspan="2">项目名称</th><th rowspan="2">目标任务</th><th colspan="2">责任主体</th><th rowspan="2">完成时限</th></tr>
<tr><th>牵头单位</th><th>配合单位</th></tr>
</thead>
<tbody>
<tr><td>1</td><td>山城步道提升</td><td>新建改造山城步道5条，总长约12公里，增设休憩节点30处。</td><td>区住房城乡建委</td><td>区城市管理局、各街道</td><td>2023年12月底</td></tr>
<tr><td>2</td><td>老年助餐服务</td><td>新建社区老年食堂15个，服务老年人不少于10万人次，对70周岁以上老人按每餐3元标准补贴。</td><td>区民政局</td><td></td><td>2023年10月底</td></tr>
<tr><td rowspan="2">3</td><td rowspan="2">公共停车</td><td>新增公共停车泊位1500个以上。</td><td rowspan="2">区交通局</td><td rowspan="2">各街道</td><td>2023年12月底</td></tr>
<tr><td>推广智慧停车系统，接入停车场不少于80个。</td><td>2023年12月底</td></tr>
<tr><td>4</td><td>消防安全</td><td>为1.8万户老旧居民楼住户免费安装独立式烟感报警器，配备简易消防器材3600套。</td><td>区消防救援支队</td><td>各街道、区应急局</td><td>2023年11月底</td></tr>
</tbody>
</table>
</article>
<footer>重庆市渝中区人民政府办公室 版权所有 渝ICP备05003300号 渝公网安备50010302000123号</footer>
</body></html>
"""


WUXING = [
    (
        "一、教育优质均衡工程",
        "新建、改扩建中小学校及幼儿园9所，新增学位5400个，实现城乡义务教育学校智慧校园建设全覆盖，"
        "为全区2.1万名中小学生开展免费视力筛查。",
        "责任单位：区教育局",
        "配合单位：区财政局、区卫健局",
    ),
    (
        "二、农村饮用水达标提标工程",
        "新建改造供水管网96.5公里，新增供水能力2万吨/日，受益人口约4.3万人，农村供水水质达标率达到95%以上。",
        "责任单位：区水利局",
        None,
    ),
    (
        "三、城乡公交一体化工程",
        "新增和更新新能源公交车45辆，新辟、优化公交线路12条，建成城乡公交首末站3个，行政村公交通达率保持100%。",
        "责任单位：区交通运输局",
        "配合单位：湖州公交集团",
    ),
]


def _cell_text(cell, text: str) -> None:
    lines = text.split("\n")
    para = cell.paragraphs[0]
    para.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _add_item_row(table, no: int, name: str, text: str, lead: str, partner: str) -> None:
    """One item as a row of a five-column list: 序号, 项目名称, content, lead and partner units."""
    cells = table.add_row().cells
    cells[0].text = str(no)
    cells[1].text = name
    _cell_text(cells[2], text)
    _cell_text(cells[3], lead)
    _cell_text(cells[4], partner)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _merge_down(table, col: int, first: int, last: int) -> None:
    if last > first:
        keep = table.cell(first, col).text
        merged = table.cell(first, col).merge(table.cell(last, col))
        for para in merged.paragraphs[1:]:
            para._p.getparent().remove(para._p)
        merged.paragraphs[0].text = keep


def make_licheng_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("2025年济南市历城区民生实事项目清单")
    header = ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for i, h in enumerate(header):
        table.rows[0].cells[i].text = h
    _repeat_header(table.rows[0])
    for no, name, alias, items in LICHENG:
        if no == 3:  # the header repeated where the printed table runs over a page
            cells = table.add_row().cells
            for i, h in enumerate(header):
                cells[i].text = h
        first = len(table.rows)
        for k, (text, lead, partner) in enumerate(items):
            cells = table.add_row().cells
            if k == 0:
                cells[0].text = str(no)
                _cell_text(cells[1], name + (f"\n（{alias}）" if alias else ""))
            _cell_text(cells[2], text)
            _cell_text(cells[3], lead)
            _cell_text(cells[4], partner)
        last = len(table.rows) - 1
        _merge_down(table, 0, first, last)
        _merge_down(table, 1, first, last)
        if no == 1:  # project 1 has its unit cells merged over both rows
            _merge_down(table, 3, first, last)
            _merge_down(table, 4, first, last)
    document.add_paragraph("注：项目实施情况纳入区政府年度综合考核。")
    document.save(str(path))


def make_fucheng_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("绵阳市涪城区2019年民生实事项目")
    document.add_paragraph("根据区第十八届人民代表大会第四次会议票决结果，2019年实施民生实事项目5件。")
    for heading, projects in FUCHENG:
        document.add_paragraph(heading)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for i, h in enumerate(["序号", "项目名称", "建设内容及目标", "牵头单位", "协办单位"]):
            table.rows[0].cells[i].text = h
        for no, name, _alias, items in projects:
            for text, lead, partner in items:
                _add_item_row(table, no, name, text, lead, partner)
    document.save(str(path))


def _sheet(sheet: str, caption: str, last_column: str):
    """A workbook whose sheet starts with a caption merged across the table."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([caption])
    ws.merge_cells(f"A1:{last_column}1")
    return wb, ws


def make_lusong_xlsx(path: Path) -> None:
    wb, ws = _sheet("民生实事", "株洲市芦淞区2022年重点民生实事项目表", "H")
    ws.append(["填报单位：区政府办", None, None, None, None, None, None, "单位：万元"])
    ws.append(
        ["序号", "项目名称", "责任单位", "建设地点", "主要内容", "投资金额（万元）", "完成时限", "配合单位"]
    )
    for row in LUSONG:
        ws.append(list(row))
    # project 2 spans rows 5-6: 序号, 项目名称, 责任单位 and 配合单位 are merged down
    for col in "ABCH":
        ws.merge_cells(f"{col}5:{col}6")
    ws.append([])
    ws.append(["备注：投资金额为预计数，以实际审计为准。"])
    ws.merge_cells(f"A{ws.max_row}:H{ws.max_row}")
    wb.save(str(path))


def make_shunde_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2026年佛山市顺德区民生实事项目")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for i, h in enumerate(["序号", "项目名称", "主要内容", "责任单位"]):
        table.rows[0].cells[i].text = h
    for no, name, text, lead in SHUNDE:
        cells = table.add_row().cells
        cells[0].text = no
        cells[1].text = name
        _cell_text(cells[2], text)
        _cell_text(cells[3], lead)
    document.save(str(path))


def make_shunde_pdf(path: Path) -> None:
    _docx_to_pdf(make_shunde_docx, path)


def make_xiaodian_xlsx(path: Path) -> None:
    wb, ws = _sheet("Sheet1", "太原市小店区2024年民生实事项目清单", "F")
    ws.append(["序号", "项目名称", "主要内容", "责任单位", "配合单位", "计划投资（万元）"])
    for row in XIAODIAN:
        ws.append(row)
        if len(row) == 1:  # a category row merged across the table
            ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    wb.save(str(path))


def make_jianghan_docx(path: Path) -> None:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("武汉市江汉区2015年为民办实事项目表")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    widths = [Cm(1.2), Cm(2.2), Cm(4.5), Cm(2.2), Cm(2.2)]
    for i, h in enumerate(["序号", "项目名称", "主要内容", "责任单位", "配合单位"]):
        table.rows[0].cells[i].text = h
    _repeat_header(table.rows[0])
    for no, name, text, lead, partner in JIANGHAN:
        _add_item_row(table, no, name, text, lead, partner)
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    document.save(str(path))


def make_jianghan_pdf(path: Path) -> None:
    _docx_to_pdf(make_jianghan_docx, path)


def make_wuxing_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("湖州市吴兴区2020年民生实事项目")
    document.add_paragraph("经区九届人大五次会议票决，确定2020年区政府民生实事项目3项，具体如下：")
    for heading, text, lead, partner in WUXING:
        document.add_paragraph(heading)
        document.add_paragraph(text)
        document.add_paragraph(lead)
        if partner:
            document.add_paragraph(partner)
    document.save(str(path))


def make_wuxing_pdf(path: Path) -> None:
    _docx_to_pdf(make_wuxing_docx, path)


def docx_to_pdf(source: Path, office: str = "soffice") -> Path:
    """LibreOffice's PDF of the .docx `source`, written next to it (tests/parsing/builders.py uses it too)."""
    # A private profile: two conversions at once (pytest -n 2) must not share one.
    profile = (source.parent / "profile").as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf")


def _docx_to_pdf(maker, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".docx")
        maker(src)
        shutil.copy(docx_to_pdf(src), path)


TEXTS = {
    "b05-huangyan-2021.html": (HUANGYAN_HTML, "utf-8", "\n"),
    "b06-xigong-2017.html": (XIGONG_HTML, "utf-8", "\n"),
    "b07-luyang-2023.txt": (LUYANG_TXT, "utf-8", "\n"),
    "b08-zhanggong-2020.txt": (ZHANGGONG_TXT, "utf-8", "\n"),
    "b09-siming-2018.txt": (SIMING_TXT, "utf-8", "\n"),
    "b10-changan-2016.txt": (CHANGAN_TXT, "gbk", "\r\n"),
    "b11-ganjingzi-2024.txt": (GANJINGZI_TXT, "utf-8", "\n"),
    "b12-wuhua-2025.txt": (WUHUA_TXT, "utf-8", "\n"),
    "b13-yanta-2021.txt": (YANTA_TXT, "utf-8", "\n"),
    "b16-chongchuan-2022.html": (CHONGCHUAN_HTML, "utf-8", "\n"),
    "b17-qingxiu-2026.txt": (QINGXIU_TXT, "utf-8", "\n"),
    "b18-yuzhong-2023.html": (YUZHONG_HTML, "utf-8", "\n"),
}

BINARIES = {
    "b01-licheng-2025.docx": make_licheng_docx,
    "b02-fucheng-2019.docx": make_fucheng_docx,
    "b03-lusong-2022.xlsx": make_lusong_xlsx,
    "b04-shunde-2026.pdf": make_shunde_pdf,
    "b14-xiaodian-2024.xlsx": make_xiaodian_xlsx,
    "b15-jianghan-2015.pdf": make_jianghan_pdf,
    "b19-wuxing-2020.pdf": make_wuxing_pdf,
}

NAMES = sorted([*TEXTS, *BINARIES])


def write_text(name: str, outdir: Path) -> Path:
    text, encoding, newline = TEXTS[name]
    path = outdir / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def build(name: str, outdir: Path) -> Path:
    """Write the document NAME into OUTDIR and return its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    if name in TEXTS:
        return write_text(name, outdir)
    path = outdir / name
    BINARIES[name](path)
    return path


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent / "docs"
    for name in NAMES:
        print(build(name, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
