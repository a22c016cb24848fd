"""E-mail delivery of alerts over SMTP (aiosmtplib): settings from SMTP_URL and the alert sender."""

from adapters.mail.sender import SmtpAlertSender, build_mail
from adapters.mail.settings import MailSettings, MailSettingsError

__all__ = ["MailSettings", "MailSettingsError", "SmtpAlertSender", "build_mail"]
