#!/usr/bin/env python3
"""A new user's session with Python's imaplib against a running `imap-mimic serve`:
STARTTLS, login, nested folders, append, fetch, search, store, copy, move, expunge, IDLE.
Usage: scripts/imaplib-smoke.py [HOST] [PORT] [DATA_DIR] [USER] [PASSWORD]"""
import imaplib, ssl, sys, threading, time

host, port = sys.argv[1] if len(sys.argv) > 1 else "localhost", int(sys.argv[2]) if len(sys.argv) > 2 else 1143
data = sys.argv[3] if len(sys.argv) > 3 else "imap-mimic-data"
user, password = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else ("demo", "demo")
ctx = ssl.create_default_context(cafile=f"{data}/tls-cert.pem")


def connect():
    m = imaplib.IMAP4(host, port)
    m.starttls(ctx)
    m.login(user, password)
    return m


def ok(result, what):
    typ, data = result
    assert typ == "OK", f"{what}: {typ} {data}"
    print(f"{what}: OK {data if len(repr(data)) < 100 else repr(data)[:100] + '...'}")
    return data


m = connect()
ok(m.create("Smoke/Nested/Deep"), "CREATE Smoke/Nested/Deep")
ok(m.list('""', "Smoke*"), "LIST")
for i in range(3):
    msg = f"From: a@example.org\r\nSubject: smoke {i}\r\n\r\nhello {i}\r\n".encode()
    ok(m.append("Smoke/Nested", None, imaplib.Time2Internaldate(time.time()), msg), f"APPEND {i}")
ok(m.select("Smoke/Nested"), "SELECT")
ok(m.fetch("1:*", "(FLAGS ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)])"), "FETCH")
found = ok(m.search(None, "SUBJECT", '"smoke 1"'), "SEARCH")
assert found[0] == b"2", found
ok(m.store("1", "+FLAGS", "(\\Seen \\Flagged)"), "STORE")
ok(m.copy("1", "Smoke/Nested/Deep"), "COPY")
typ, data = m._simple_command("MOVE", "2", "Smoke/Nested/Deep")
assert typ == "OK", data
print("MOVE: OK")
ok(m.store("1", "+FLAGS", "(\\Deleted)"), "STORE \\Deleted")
ok(m.expunge(), "EXPUNGE")
ok(m.status("Smoke/Nested/Deep", "(MESSAGES UIDNEXT)"), "STATUS")

# IDLE: one session waits, another appends; the idler must hear EXISTS.
m.select("Smoke/Nested")
tag = m._new_tag().decode()
m.send(f"{tag} IDLE\r\n".encode())
assert m.readline().startswith(b"+"), "IDLE continuation"
other = connect()
threading.Timer(0.2, lambda: other.append("Smoke/Nested", None, None, b"Subject: wake\r\n\r\nup\r\n")).start()
line = m.readline()
assert b"EXISTS" in line, line
print("IDLE: heard", line.strip().decode())
m.send(b"DONE\r\n")
while not (line := m.readline()).startswith(tag.encode()):
    pass
assert b"OK" in line, line
other.logout()
m.logout()
print("imaplib session: all OK")
