#!/usr/bin/env python3
"""SMTP sink for the benchmark: accepts every message and appends "flow<TAB>code<TAB>recipient" per sign-in
email to the file given as argv[2] (port argv[1]). Nothing else is kept. It stands for the mail relay, which in
production runs elsewhere, so it is kept cheap: no MIME parsing, two regular expressions over the raw message (the
mail client sends plain ASCII as 7bit), and a quoted-printable decode only when they find nothing."""
import asyncore
import binascii
import re
import smtpd
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
LINK = re.compile(rb"/(?:login|registration)\?flow=([0-9a-f-]{36})&code=")
CODE = re.compile(rb"device you started signing (?:in|up):\s+(\d{6})")


class Sink(smtpd.SMTPServer):
    def __init__(self, port, out):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.out = open(out, "a", buffering=1)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        link, code = LINK.search(data), CODE.search(data)
        if not (link and code):
            text = binascii.a2b_qp(data)
            link, code = LINK.search(text), CODE.search(text)
        if link and code:
            self.out.write(f"{link.group(1).decode()}\t{code.group(1).decode()}\t{rcpttos[0]}\n")
        return None


Sink(int(sys.argv[1]), sys.argv[2])
asyncore.loop()
