#!/usr/bin/env python3
"""tests/letters/letters_test.py HVPLAN FIXTURES -- the heads-up to families:
a letter per announced visit (letters/<date>_<household>.pdf) in the
family's language, and messages.csv for a texting tool.  pdftotext shows the
day, the window (an hour on half hours, never before the family's window,
the exact time for a video call) and the first names and roles of who is
coming; every message fits in 320 characters; an Arabic letter renders
right to left (pdftoppm: ink on the right of the page); a re-plan does not
announce kept days again; bad templates are refused with file:line before
anything is planned."""
import csv, json, os, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, runner  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
SO_DAYS = ["Isniin", "Talaado", "Arbaco", "Khamiis", "Jimce", "Sabti", "Axad"]
ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]


run = runner(hvplan)


def text_of(pdf):
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout


def flat(s):
    return " ".join(s.split())


def mins(t):
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def hhmm(m):
    return "%02d:%02d" % divmod(m, 60)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def windows(av, day):
    out = []
    for part in (av or "").split(";"):
        part = part.strip()
        if not part:
            continue
        days, span = part.rsplit(" ", 1)
        a, b = span.split("-")
        for item in days.replace(" ", "").split(","):
            if "-" in item:
                x, y = item.split("-")
                ds = DAYS[DAYS.index(x[:3].lower()):DAYS.index(y[:3].lower()) + 1]
            else:
                ds = [item[:3].lower()]
            if day in ds:
                out.append((mins(a), mins(b)))
    return out


def expected_window(start, av, day):
    f = (start - 15) // 30 * 30
    for a, b in windows(av, day):
        if a <= start < b and f < a:
            f = a
    return f, f + 60


work = tempfile.mkdtemp(prefix="hv-letters-")
try:
    # ---- the demo week: Spanish and Somali templates, English built in ----
    demo = os.path.join(fixtures, "demo")
    out = os.path.join(work, "demo")
    run("plan", demo, "-o", out)
    plan = json.load(open(os.path.join(out, "plan.json")))
    hh = {r["id"]: r for r in read_csv(os.path.join(demo, "households.csv"))}
    staff = {r["id"]: r for r in read_csv(os.path.join(demo, "staff.csv"))}
    visits = [(rt, st) for rt in plan["routes"] for st in rt["stops"]]
    letters = sorted(os.listdir(os.path.join(out, "letters")))
    check(letters == sorted(f"{rt['date']}_{st['household']}.pdf" for rt, st in visits),
          f"one letter per visit ({len(letters)} for {len(visits)})")
    msgs = {m["household"]: m for m in read_csv(os.path.join(out, "messages.csv"))}
    check(set(msgs) == {st["household"] for _, st in visits}, "one message per visit")
    seen = {"es": 0, "so": 0, "en": 0}
    for rt, st in visits:
        h = hh[st["household"]]
        lang = h["language"]
        start = mins(st["start"])
        f, t = expected_window(start, h["availability"], rt["day"])
        check(f <= start <= t, f"{h['id']}: the window holds the start")
        names = [staff[s]["name"].split()[0] for s in rt["staff"]]
        m = msgs[h["id"]]
        check(len(m["text"]) <= 320, f"{h['id']}: message {len(m['text'])} chars")
        check("612-555-0100" in m["text"], f"{h['id']}: message gives the school's phone")
        check(hhmm(f) in m["text"] and hhmm(t) in m["text"],
              f"{h['id']}: message gives the window {hhmm(f)}-{hhmm(t)}")
        check(st["start"] not in m["text"] or st["start"] in (hhmm(f), hhmm(t)),
              f"{h['id']}: never the exact minute ({st['start']})")
        if lang not in seen or seen[lang] >= 3:
            continue
        seen[lang] += 1
        text = flat(text_of(os.path.join(out, "letters", f"{rt['date']}_{h['id']}.pdf")))
        d = int(rt["date"][8:])
        wd = DAYS.index(rt["day"])
        if lang == "es":
            want = [f"{ES_DAYS[wd]} {d} de {ES_MONTHS[int(rt['date'][5:7]) - 1]} de 2026",
                    f"entre las {hhmm(f)} y las {hhmm(t)}", "Iremos a su casa"]
        elif lang == "so":
            want = [f"{SO_DAYS[wd]}, {d} Maarso 2026", f"{hhmm(f)} iyo {hhmm(t)}",
                    "gurigiinna"]
        else:
            want = [f"between {hhmm(f)} and {hhmm(t)}", "Dear " + h["guardian"],
                    "We will come to your home"]
        for w in want + names:
            check(w in text, f"{h['id']} ({lang}) letter says '{w}'")
        check(h["address"].split(",")[0] not in text, f"{h['id']}: no address in the letter")
        if lang == "es":
            check("trabajador/a social" in text or "consejero/a" in text
                  or "enlace con las familias" in text or "especialista" in text
                  or "enfermero/a" in text, f"{h['id']}: roles in Spanish")
    check(all(v > 0 for v in seen.values()), f"letters in es, so and en checked: {seen}")

    # ---- places, calls and an Arabic template -----------------------------
    sdir = os.path.join(work, "modes")
    shutil.copytree(os.path.join(fixtures, "modes"), sdir)
    os.makedirs(os.path.join(sdir, "templates"))
    shutil.copy(os.path.join(fixtures, "letters", "letter.ar.txt"), os.path.join(sdir, "templates"))
    mo = os.path.join(work, "mo")
    run("plan", sdir, "-o", mo)
    mplan = json.load(open(os.path.join(mo, "plan.json")))
    call = next(c for c in mplan["virtual_visits"] if c["household"] == "H104")
    pdf = os.path.join(mo, "letters", f"{call['date']}_H104.pdf")
    text = text_of(pdf)
    check("https://meet.example.org/" in text and "فيديو" in text,
          "the Arabic letter says how to join the call")
    check(call["start"] in text and call["end"] in text,
          "a call's letter gives its own time")
    base = os.path.join(work, "ar")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", pdf, base], check=True)
    pgm = next(p for p in os.listdir(work) if p.startswith("ar") and p.endswith(".pgm"))
    with open(os.path.join(work, pgm), "rb") as f:
        data = f.read()
    parts = data.split(b"\n", 3)
    w, h_ = map(int, parts[1].split())
    pix = parts[3]
    # Text lines of the body (below the header): ink at the right margin,
    # as right-to-left paragraphs are aligned.
    right = sum(1 for y in range(h_ // 4, h_ * 3 // 4) for x in range(w * 3 // 4, w * 9 // 10)
                if pix[y * w + x] < 128)
    total = sum(1 for v in pix if v < 128)
    check(total > 500, f"the Arabic letter is not blank ({total} dark pixels)")
    check(right > 150, f"Arabic lines reach the right margin ({right} dark pixels there)")
    pm = {m["household"]: m for m in read_csv(os.path.join(mo, "messages.csv"))}
    check("Central Library" in pm["H101"]["text"], "a place visit's message names the place")
    check("1500 Secret Lane" not in open(os.path.join(mo, "messages.csv")).read(),
          "messages never carry a home address")
    check("meet.example.org/cali" in pm["H105"]["text"], "a call's message has the link")
    check(pm["H104"]["note"] == "" and pm["H103"]["note"].startswith("no template"),
          "messages.csv notes a missing translation")

    # A re-plan from Wednesday announces only the new days.
    mo2 = os.path.join(work, "mo2")
    run("plan", sdir, "-o", mo2, "--keep", os.path.join(mo, "plan.json"), "--from", "wed")
    kept = {f"{r['date']}_{s['household']}.pdf" for r in mplan["routes"]
            if r["day"] in ("mon", "tue") for s in r["stops"]}
    check(not (kept & set(os.listdir(os.path.join(mo2, "letters")))),
          "kept visits are not announced again")

    # A message too long for a text is shortened and says so.
    long_dir = os.path.join(work, "long")
    shutil.copytree(os.path.join(fixtures, "modes"), long_dir)
    os.makedirs(os.path.join(long_dir, "templates"))
    es = open(os.path.join(demo, "templates", "letter.es.txt"), encoding="utf-8").read()
    es = es.replace("@message = ", "@message = " + "Muy importante. " * 20)
    open(os.path.join(long_dir, "templates", "letter.es.txt"), "w", encoding="utf-8").write(es)
    lo = os.path.join(work, "lo")
    run("plan", long_dir, "-o", lo)
    lm = {m["household"]: m for m in read_csv(os.path.join(lo, "messages.csv"))}
    check(len(lm["H101"]["text"]) <= 320 and lm["H101"]["text"].endswith("…"),
          f"shortened to 320 characters ({len(lm['H101']['text'])})")
    check(lm["H101"]["note"].startswith("shortened"), "and noted")

    # ---- bad templates ----------------------------------------------------
    cases = [
        ("unknown placeholder", lambda t: t.replace("{students}:", "{student}:"),
         "templates/letter.es.txt:17: error: unknown placeholder {student}"),
        ("missing days", lambda t: t.replace("@days = ", "# "),
         "templates/letter.es.txt:1:@days: error: missing directive '@days = ...'"),
        ("six days", lambda t: t.replace(", domingo", ""),
         "templates/letter.es.txt:2:@days: error: give the seven day names"),
        ("unknown directive", lambda t: t.replace("@and = y", "@y = y"),
         "templates/letter.es.txt:4: error: unknown directive '@y'"),
        ("where in where", lambda t: t.replace("Iremos a su casa.", "{where}"),
         "templates/letter.es.txt:11:@where: error: {where} cannot be used inside @where"),
        ("unclosed", lambda t: t.replace("{school_phone} y", "{school_phone y"),
         "templates/letter.es.txt:23: error: '{' without '}'"),
    ]
    for name, edit, want in cases:
        b = os.path.join(work, "bad-" + name.replace(" ", "_"))
        shutil.copytree(os.path.join(fixtures, "modes"), b)
        os.makedirs(os.path.join(b, "templates"))
        open(os.path.join(b, "templates", "letter.es.txt"), "w", encoding="utf-8").write(edit(es))
        r = run("validate", b, ok=False)
        check(r.returncode != 0 and want in r.stdout + r.stderr,
              f"{name}: {want}\n got: {r.stdout[-400:]}{r.stderr[-400:]}")
        r = run("plan", b, "-o", os.path.join(b, "out"), ok=False)
        check(r.returncode != 0 and not os.path.exists(os.path.join(b, "out")),
              f"{name}: plan refuses before planning, writes nothing")
finally:
    shutil.rmtree(work, ignore_errors=True)

done()
