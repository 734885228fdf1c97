"""Encrypt the proposers' names and contacts stored in plain text before 0002 (DATA-01)."""

from django.db import migrations


def encrypt_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    from minsheng.core.crypto import rewrite_encrypted

    # The historical model carries EncryptedTextField: plain rows read as they are, the update encrypts.
    rewrite_encrypted(apps.get_model("solicitation", "Proposal"), ["proposer_name", "proposer_contact"])


class Migration(migrations.Migration):
    dependencies = [("solicitation", "0002_proposer_pi_encrypted")]

    operations = [migrations.RunPython(encrypt_rows, migrations.RunPython.noop)]
