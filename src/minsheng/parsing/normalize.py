"""Normalisation for reading STRUCTURE only: labels, markers and numbers.

The layout step compares header labels (責任單位 = 责任单位), list markers (（１） = (1)) and
numbers through `fold()`. Item text, project names and unit names are never folded: the plan keeps
the characters as written (traditional text stays traditional).
"""

from __future__ import annotations

import functools
import re

from minsheng.parsing.numerals import FULL_WIDTH, NumeralError, half_width_table, parse_chinese

# Full-width ASCII (！ … ～) → half-width; the ideographic space → space.
_PUNCT = str.maketrans(
    {
        **{chr(k): chr(v) for k, v in half_width_table(FULL_WIDTH).items()},
        "、": "、",  # kept: it separates units and ends Chinese-numeral markers
        "。": "。",
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "—": "-",
        "–": "-",
        "－": "-",
        "﹒": ".",
    }
)

# Traditional → simplified for the characters that occur in labels, markers, titles and
# region/session words. Deliberately small: it is only used to recognise structure.
_TRAD_SIMP = "責责單单號号項项稱称內内設设規规總总資资時时間间點点協协辦办頭头門门務务實实類类劃划進进況况備备註注來来縣县區区屆届會会議议萬万億亿級级數数據据處处權权應应與与為为關关於于開开發发計计編编報报機机構构體体質质衛卫環环樂乐莊庄鄉乡鎮镇黨党員员傳传專专場场夠够廣广個个們们條条業业東东兩两嚴严臨临麗丽舉举義义產产畝亩親亲僅仅從从價价眾众優优夥伙偉伟傷伤僑侨償偿兒儿興兴養养軍军農农決决淨净減减幾几鳳凤擊击劉刘則则剛刚創创別别劑剂劍剑劇剧勸劝動动勵励勞劳勢势醫医華华賣卖衛卫廠厂廳厅歷历壓压廈厦參参雙双變变敘叙葉叶號号嘆叹啟启吳吴員员響响團团園园圍围國国圖图圓圆聖圣壞坏塊块堅坚壇坛壩坝墳坟墜坠壘垒墊垫牆墙壯壮聲声殼壳壺壶處处復复誇夸夾夹奪夺奮奋獎奖婦妇媽妈嬰婴孫孙學学寧宁寶宝審审憲宪宮宫寬宽賓宾對对尋寻導导壽寿將将爾尔塵尘盡尽層层屬属歲岁島岛嶺岭峽峡幣币師师帳帐帶带幫帮廣广慶庆庫库廟庙廢废異异張张彎弯彈弹強强歸归當当錄录徹彻徑径憶忆憂忧懷怀態态總总惡恶惱恼悅悦懸悬驚惊懼惧慘惨願愿戰战戶户撲扑執执擴扩掃扫揚扬擾扰撫抚搶抢護护報报擔担擬拟攏拢揀拣擁拥攔拦撥拨擇择掛挂擋挡擠挤揮挥撈捞損损撿捡換换據据擲掷擺摆搖摇攤摊撐撑攜携攝摄敵敌斂敛數数齋斋鬥斗斬斩斷断無无舊旧時时曠旷顯显晉晋曉晓暈晕暫暂術术樸朴機机殺杀雜杂條条楊杨傑杰極极構构樞枢棗枣櫃柜標标棧栈棟栋欄栏樹树棲栖樣样檔档橋桥樺桦樁桩夢梦檢检樓楼橫横櫻樱歡欢歐欧殘残毆殴毀毁畢毕氣气漢汉湯汤溝沟沒没滄沧滬沪淚泪瀉泻潑泼澤泽潔洁灑洒窪洼淺浅漿浆澆浇濁浊測测濟济瀏浏渾浑滸浒濃浓濤涛澇涝漣涟渦涡滌涤潤润澗涧漲涨澀涩澱淀淵渊漬渍瀆渎漸渐漁渔滲渗溫温遊游灣湾濕湿潰溃濺溅滾滚滯滞滿满濾滤濫滥濱滨灘滩瀾澜滅灭燈灯靈灵災灾燦灿爐炉煉炼爍烁爛烂燭烛煙烟煩烦燒烧熱热煥焕愛爱爺爷牽牵犧牺狀状獨独狹狭獅狮獄狱獵猎豬猪貓猫獻献環环現现瑪玛璽玺瓊琼甕瓮電电畫画暢畅療疗瘋疯癢痒癱瘫皺皱盞盏鹽盐監监蓋盖盜盗盤盘睜睁瞞瞒矯矫礦矿碼码磚砖確确礙碍禮礼禍祸祿禄離离種种積积稱称穩稳窮穷竊窃竅窍窯窑窩窝豎竖競竞筆笔築筑簽签簡简籃篮籬篱類类糧粮緊紧糾纠紅红紀纪約约級级紛纷紙纸紋纹紡纺紐纽線线練练組组細细織织終终紹绍經经綁绑結结繞绕繪绘給给絡络絕绝統统絹绢繡绣繼继績绩緒绪續续維维綿绵綱纲網网綜综綠绿緣缘編编緩缓締缔縫缝縮缩繁繁羅罗罰罚罷罢羨羡聳耸聯联聰聪肅肃腸肠膚肤腫肿脹胀脅胁膽胆勝胜腦脑膠胶脈脉臉脸艦舰艙舱艱艰藝艺節节蘆芦葦苇蘇苏蘋苹莖茎薦荐莢荚蕩荡榮荣藥药蓮莲獲获營营蕭萧薩萨蔥葱蔣蒋藍蓝蘭兰蟲虫雖虽蝦虾蠶蚕蠻蛮補补襯衬襪袜襲袭裝装褲裤見见觀观規规視视覽览覺觉觸触譽誉計计訂订認认討讨讓让訓训議议訊讯記记講讲許许論论設设訪访證证評评識识詐诈訴诉診诊詞词譯译試试詩诗誠诚話话誕诞詢询該该詳详語语誤误誘诱說说請请諸诸諾诺讀读課课誰谁調调談谈誼谊謀谋謊谎謂谓諮谘謝谢謠谣謙谦謹谨譜谱貝贝貞贞負负貢贡財财責责賢贤敗败賬账貨货質质販贩貪贪貧贫購购貯贮貫贯賤贱貼贴貴贵貸贷貿贸費费賀贺賊贼賄贿資资賠赔賴赖賺赚賽赛贈赠贏赢趙赵趕赶趨趋躍跃踐践蹤踪軀躯車车軌轨軒轩轉转輪轮軟软轟轰載载輕轻較较輔辅輛辆輩辈輝辉輸输轄辖辭辞辯辩邊边遼辽達达遷迁過过邁迈運运還还這这進进遠远違违連连遲迟適适選选遜逊遞递邏逻遺遗鄧邓郵邮鄒邹鄰邻鄭郑醬酱釋释裏里鑒鉴針针釘钉鈣钙鈍钝鈔钞鐘钟鋼钢鑰钥欽钦鉤钩錢钱鉗钳鑽钻鐵铁鈴铃鉛铅銅铜鋁铝銘铭銷销鎖锁鋤锄鍋锅鏽锈鋒锋鋅锌銳锐錯错錨锚錫锡鑼锣錘锤錐锥錦锦鍵键鋸锯鍛锻鎮镇鏡镜長长閃闪閉闭問问闖闯閑闲間间悶闷鬧闹閨闺聞闻閩闽閣阁閥阀閱阅闊阔隊队陽阳陰阴陣阵階阶際际陸陆隴陇陳陈陝陕險险隨随隱隐隸隶難难雛雏霧雾靜静韓韩頁页頂顶項项順顺須须頑顽顧顾頓顿預预領领頗颇頸颈頻频題题額额顏颜願愿顛颠風风飄飘飛飞飯饭飲饮飾饰飽饱飼饲餅饼養养餘余館馆馬马駕驾騎骑驗验騙骗驅驱驢驴髮发鬆松魚鱼鳥鸟雞鸡鴨鸭鵝鹅麥麦黃黄齊齐齒齿齡龄龍龙龜龟戶户衆众佈布綫线証证雲云燈灯傢家採采颱台臺台檯台週周鬍胡麵面裡里纔才"
_TO_SIMPLIFIED = {
    ord(pair[0]): pair[1] for pair in (_TRAD_SIMP[i : i + 2] for i in range(0, len(_TRAD_SIMP), 2))
}


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Half-width punctuation and digits, simplified characters: the form used to recognise labels.
    Cached: the layout step folds the same lines and cells several times."""
    return text.translate(_FOLD)


_FOLD = {
    **_PUNCT,
    **{k: _TO_SIMPLIFIED.get(v if isinstance(v, int) else ord(v), v) for k, v in _PUNCT.items()},
}
_FOLD.update({k: v for k, v in _TO_SIMPLIFIED.items() if k not in _FOLD})


def width(text: str) -> str:
    """Full-width digits, letters and punctuation → half-width; characters otherwise unchanged."""
    return text.translate(_PUNCT)


def compact(text: str) -> str:
    """All white space removed (the item-text rule: white space inside lines removed, lines joined)."""
    return _WS.sub("", text)


_WS = re.compile(r"\s+")


def marker_number(text: str) -> int | None:
    """The number of a list marker's numeral part, Arabic or Chinese (`12`, `十二` → 12)."""
    t = width(text)
    if t.isascii() and t.isdigit():  # not ① or other digit-like signs
        return int(t)
    try:
        return int(parse_chinese(t))
    except NumeralError:
        return None
