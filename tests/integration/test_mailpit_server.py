"""The local mail catcher `make infra` starts: a message sent over SMTP arrives, exactly, through its REST API."""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage


def test_a_message_sent_over_smtp_arrives_exactly(mailpit):
    recipient = f"pengelola-{uuid.uuid4().hex[:10]}@example.test"
    text = "Yth. Pengelola Kinerja,\nrealisasi triwulan III belum diisi.\n"
    html = "<p>Yth. Pengelola Kinerja,</p><p>realisasi triwulan <b>III</b> belum diisi.</p>"
    mail = EmailMessage()
    mail["From"] = "Kinerja <kinerja@localhost>"
    mail["To"] = recipient
    mail["Subject"] = "Pengingat"
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")

    try:
        with smtplib.SMTP(mailpit.smtp_host, mailpit.smtp_port, timeout=10) as smtp:
            smtp.send_message(mail)

        (summary,) = mailpit.wait_for(lambda m: m["Subject"] == "Pengingat", to=recipient)
        message = mailpit.message(summary["ID"])
        assert message["Subject"] == "Pengingat"
        assert [(to["Name"], to["Address"]) for to in message["To"]] == [("", recipient)]
        assert message["From"]["Address"] == "kinerja@localhost"
        assert message["Text"].replace("\r\n", "\n") == text
        assert message["HTML"].replace("\r\n", "\n").strip() == html
    finally:
        mailpit.clear(to=recipient)
    assert mailpit.messages(to=recipient) == []
