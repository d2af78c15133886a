#!/usr/bin/env python3
"""SMTP sink for the benchmark: accepts every message and appends "flow<TAB>code<TAB>recipient" per sign-in
email to the file given as argv[2] (port argv[1]). Nothing else is kept."""
import asyncore
import email
import re
import smtpd
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
LINK = re.compile(r"/(?:login|registration)\?flow=([0-9a-f-]{36})&code=")
CODE = re.compile(r"device you started signing (?:in|up):\s+(\d{6})")


class Sink(smtpd.SMTPServer):
    def __init__(self, port, out):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.out = open(out, "a", buffering=1)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        message = email.message_from_bytes(data)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode("utf-8", "replace")
                link, code = LINK.search(text), CODE.search(text)
                if link and code:
                    self.out.write(f"{link.group(1)}\t{code.group(1)}\t{rcpttos[0]}\n")
        return None


Sink(int(sys.argv[1]), sys.argv[2])
asyncore.loop()
