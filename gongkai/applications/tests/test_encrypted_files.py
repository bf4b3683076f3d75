"""Personal files at rest (issue 13): ID proofs and attachments are encrypted, 0600, and
decrypted only on an authorised download."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application, Attachment
from gongkai.applications.tests.factories import AppTestCase
from gongkai.applications.tests.test_views import form_data
from gongkai.lib.crypto import FILE_PREFIX, EncryptedFileSystemStorage

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"ID-SCAN-OF-ZHANGSAN" * 20


class EncryptedFileTests(AppTestCase):
    def submit(self) -> Application:
        proof = SimpleUploadedFile("id.png", PNG, content_type="image/png")
        response = self.client.post(
            reverse("apply:form"), {**form_data(self.agency_a.pk), "id_proof": proof}
        )
        self.assertEqual(response.status_code, 302)
        return Application.objects.get()

    def test_the_id_proof_is_encrypted_and_private_on_disk(self) -> None:
        app = self.submit()
        path = app.id_proof.path
        raw = Path(path).read_bytes()
        self.assertTrue(raw.startswith(FILE_PREFIX))
        self.assertNotIn(b"ID-SCAN-OF-ZHANGSAN", raw)
        self.assertNotIn(b"PNG", raw)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)

    def test_an_authorised_download_gets_the_plaintext(self) -> None:
        app = self.submit()
        app.handler = self.zhengyi
        app.save(update_fields=["handler"])
        self.login(self.zhengyi)
        response = self.client.get(reverse("applications:id_proof", args=[app.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PNG)  # type: ignore[attr-defined]
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_others_get_nothing(self) -> None:
        app = self.submit()
        self.login(self.zhaoliu)
        response = self.client.get(reverse("applications:id_proof", args=[app.pk]))
        self.assertEqual(response.status_code, 404)

    def test_attachments_are_encrypted_too(self) -> None:
        app = self.submit()
        att = Attachment(application=app, name="答复.pdf", size=9)
        att.file.save("答复.pdf", ContentFile(b"%PDF-1.4 secret reply"), save=True)
        self.assertNotIn(b"secret reply", Path(att.file.path).read_bytes())
        with att.file.open("rb") as handle:
            self.assertEqual(handle.read(), b"%PDF-1.4 secret reply")

    def test_files_stored_before_encryption_still_open(self) -> None:
        storage = EncryptedFileSystemStorage()
        name = "applications/legacy/old.pdf"
        full = storage.path(name)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(b"%PDF-1.4 legacy")
        try:
            with storage.open(name) as handle:
                self.assertEqual(handle.read(), b"%PDF-1.4 legacy")
        finally:
            os.remove(full)
