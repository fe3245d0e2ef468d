#!/usr/bin/python3
"""tests/web/browser_test.py HVPLAN FIXTURES OUTDIR -- the pages in a real
browser: headless Chromium driven by its WebDriver (Debian's chromium and
chromium-driver, python3-selenium).  A staff member logs in on a 360-pixel
phone, sees the day's stops, records an outcome at the door, then records
one without signal (kept on the phone, sent when back online); a
coordinator sees the week's dashboard.  Screenshots of each page go to
OUTDIR and are checked not to be blank.  When Chromium cannot start, the
test says so and fails (exit 77 is reported by CTest as skipped, with the
reason): never silently."""
import csv, json, os, shutil, socket, sqlite3, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done  # noqa: E402

hvplan, fixtures, shots = sys.argv[1], sys.argv[2], sys.argv[3]


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError as e:
    print("SKIP: python3-selenium is not installed:", e)
    sys.exit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def not_blank(path):
    """A PNG screenshot with more than a few colours of ink."""
    from zlib import decompress
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is a PNG")
    # Decode just enough: count distinct bytes in the image data.
    idat, i = b"", 8
    while i < len(data):
        n = int.from_bytes(data[i:i + 4], "big")
        if data[i + 4:i + 8] == b"IDAT":
            idat += data[i + 8:i + 8 + n]
        i += 12 + n
    raw = decompress(idat)
    dark = sum(1 for b in raw[::7] if b < 100)
    check(dark > 200, f"{os.path.basename(path)} is not blank ({dark} dark samples)")


os.makedirs(shots, exist_ok=True)
work = tempfile.mkdtemp(prefix="hv-browser-")
server = driver = None
try:
    prog = os.path.join(work, "prog")
    shutil.copytree(os.path.join(fixtures, "modes"), prog)
    subprocess.run([hvplan, "init", prog], check=True, capture_output=True)
    subprocess.run([hvplan, "plan", prog, "-o", os.path.join(prog, "week"), "--no-pdf"],
                   check=True, capture_output=True)
    plan = json.load(open(os.path.join(prog, "week", "plan.json")))
    for login, role, staff, pw in (("ana", "staff", "S01", "ana-staff-pass-1"),
                                   ("cora", "coordinator", None, "coordinator-pass-1")):
        args = [hvplan, "users", "add", prog, "--login", login, "--role", role]
        if staff:
            args += ["--staff", staff]
        subprocess.run(args, input=pw + "\n", check=True, capture_output=True, text=True)
    port = free_port()
    server = subprocess.Popen([hvplan, "serve", prog, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}"

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=360,800"):
        opts.add_argument(a)
    opts.add_experimental_option("mobileEmulation",
                                 {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}})
    try:
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    except Exception as e:  # noqa: BLE001 - any start failure is reported
        print("SKIP: Chromium could not start here:", str(e).splitlines()[0])
        sys.exit(77)
    wait = WebDriverWait(driver, 20)

    # The staff member, on a phone.
    day = next(r for r in plan["routes"] if "S01" in r["staff"])
    first, second = day["stops"][0]["household"], None
    calls = [c for c in plan.get("virtual_visits", []) if c["staff"] == "S01" and c["date"] == day["date"]]
    driver.get(base + "/staff")
    wait.until(lambda d: "/login" in d.current_url)
    driver.find_element(By.ID, "f-login").send_keys("ana")
    driver.find_element(By.ID, "f-password").send_keys("ana-staff-pass-1")
    driver.find_element(By.ID, "f-submit").click()
    wait.until(lambda d: d.current_url.endswith("/staff"))
    driver.get(base + "/staff?date=" + day["date"])
    wait.until(lambda d: d.find_elements(By.ID, "stop-" + first))
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 360, f"the page fits a 360-pixel screen ({width})")
    card = driver.find_element(By.ID, "stop-" + first)
    check("Central Library" in card.text or first != "H101", "the meeting place is shown")
    links = [a.get_attribute("href") for a in card.find_elements(By.TAG_NAME, "a")]
    check(any(h.startswith("tel:") for h in links), "the phone is a tel: link")
    check(any("openstreetmap" in h for h in links), "the address is a map link")
    driver.save_screenshot(os.path.join(shots, "staff.png"))
    not_blank(os.path.join(shots, "staff.png"))
    form = driver.find_element(By.ID, "form-" + first)
    Select(form.find_element(By.NAME, "outcome")).select_by_value("met")
    form.find_element(By.CSS_SELECTOR, "input[value=transportation]").click()
    form.find_element(By.NAME, "next_step").send_keys("bus pass")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "Recorded" in d.find_element(By.ID, "status-" + first).text)
    driver.save_screenshot(os.path.join(shots, "staff-recorded.png"))
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    row = db.execute("SELECT outcome, barriers, next_step FROM outcome WHERE household_id = ?",
                     (first,)).fetchone()
    check(row == ("met", "transportation", "bus pass"), f"the outcome is in the database: {row}")

    def log_offline(household, outcome):
        """Without signal, the visit-log form of household saved with outcome."""
        driver.set_network_conditions(offline=True, latency=0, download_throughput=0,
                                      upload_throughput=0)
        form = driver.find_element(By.ID, "form-" + household)
        Select(form.find_element(By.NAME, "outcome")).select_by_value(outcome)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: "saved on this phone" in d.find_element(By.ID, "queue").text)

    def back_online():
        driver.set_network_conditions(offline=False, latency=0, download_throughput=-1,
                                      upload_throughput=-1)
        driver.execute_script("window.dispatchEvent(new Event('online'))")

    # No signal: the entry stays on the phone, and goes when back online.
    target = calls[0]["household"] if calls else None
    if target:
        log_offline(target, "not_home")
        n = db.execute("SELECT count(*) FROM outcome WHERE household_id = ?", (target,)).fetchone()[0]
        check(n == 0, "offline: nothing reached the server yet")
        back_online()
        wait.until(lambda d: "Recorded" in d.find_element(By.ID, "status-" + target).text)
        n = db.execute("SELECT count(*) FROM outcome WHERE household_id = ?", (target,)).fetchone()[0]
        check(n == 1, "back online: the call's outcome is stored once")
    else:
        check(False, "the fixture gives S01 a call on the route's day")

    # The session ends while an entry waits on the phone (here: the account's
    # password is set again; also a logout elsewhere or 12 hours idle): the
    # entry stays, the page says to log in, and a login in another tab
    # (a new session, so this page's CSRF token is stale) sends it.
    other = [r for r in plan["routes"] if "S01" in r["staff"] and r["date"] != day["date"]]
    if other:
        target = other[0]["stops"][0]["household"]
        driver.get(base + "/staff?date=" + other[0]["date"])
        wait.until(lambda d: d.find_elements(By.ID, "form-" + target))
        log_offline(target, "met")
        subprocess.run([hvplan, "users", "add", prog, "--login", "ana", "--role", "staff", "--staff", "S01"],
                       input="ana-staff-pass-1\n", check=True, capture_output=True, text=True)
        back_online()
        wait.until(lambda d: "log in again" in d.find_element(By.ID, "queue").text)
        n = db.execute("SELECT count(*) FROM outcome WHERE household_id = ?", (target,)).fetchone()[0]
        check(n == 0 and "log in again" in driver.find_element(By.ID, "status-" + target).text,
              "no session: the entry waits on the phone, and the page says so")
        keys = driver.execute_script("return Object.keys(localStorage)")
        check(keys == ["hvplan-queue-ana"], f"kept under the login that made it: {keys}")
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('/login', {method: 'POST', credentials: 'same-origin', headers: "
            "{'Content-Type': 'application/x-www-form-urlencoded'}, "
            "body: 'login=ana&password=ana-staff-pass-1'}).then(() => done(1), () => done(0));")
        driver.execute_script("window.dispatchEvent(new Event('online'))")
        wait.until(lambda d: "Recorded" in d.find_element(By.ID, "status-" + target).text)
        row = db.execute("SELECT count(*), max(outcome) FROM outcome WHERE household_id = ?",
                         (target,)).fetchone()
        check(row == (1, "met") and driver.find_element(By.ID, "queue").text == "",
              f"logged in again: the entry is sent, once ({row})")
    else:
        check(False, "the fixture gives S01 a route on a second day")

    # An entry saved while an earlier one is still being sent (a slow
    # network: two flushes at once) is never dropped from the phone, in
    # whatever order the requests fail.  The page's fetch is held by the
    # test and each request failed, newest first, as a lost signal would.
    driver.execute_script("""
      window.__held = [];
      window.__fetch = window.fetch;
      window.fetch = (url, opts) => url === "/api/outcome"
        ? new Promise((res, rej) => window.__held.push(rej)) : window.__fetch(url, opts);
      saveQueue([{household: "HX1", date: "2026-03-03", outcome: "met", id: "a"}]);
      flush();
      saveQueue(queue().concat([{household: "HX2", date: "2026-03-03", outcome: "met", id: "b"}]));
      flush();""")
    for _ in range(30):
        driver.execute_script("const r = window.__held.pop(); if (r) r(new TypeError('no signal'));")
        time.sleep(0.05)
    kept = driver.execute_script("return queue().map((x) => x.id).sort()")
    check(kept == ["a", "b"], f"both entries still on the phone: {kept}")
    driver.execute_script("window.fetch = window.__fetch; saveQueue([]);")

    # The phone's storage refuses (full, or a private window): the entry is
    # kept in the page, the page says so, and it is sent when back online.
    driver.execute_script("Storage.prototype.__setItem = Storage.prototype.setItem;"
                          "Storage.prototype.setItem = function () {"
                          "  throw new DOMException('full', 'QuotaExceededError'); };")
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    form = driver.find_element(By.ID, "form-" + target)
    Select(form.find_element(By.NAME, "outcome")).select_by_value("not_home")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "kept in this page only" in d.find_element(By.ID, "queue").text)
    back_online()
    wait.until(lambda d: "corrected" in d.find_element(By.ID, "status-" + target).text)
    row = db.execute("SELECT outcome FROM outcome WHERE household_id = ?", (target,)).fetchone()
    check(row == ("not_home",), f"storage refused: the entry went from the page ({row})")
    driver.execute_script("Storage.prototype.setItem = Storage.prototype.__setItem;")
    db.close()
    driver.delete_all_cookies()

    # The coordinator's dashboard.
    driver.set_window_size(1200, 900)
    driver.get(base + "/login")
    driver.find_element(By.ID, "f-login").send_keys("cora")
    driver.find_element(By.ID, "f-password").send_keys("coordinator-pass-1")
    driver.find_element(By.ID, "f-submit").click()
    wait.until(lambda d: d.current_url.endswith("/dashboard"))
    driver.get(base + "/dashboard?week_of=" + plan["week_of"])
    wait.until(lambda d: d.find_elements(By.ID, "roster-table"))
    text = driver.find_element(By.TAG_NAME, "body").text
    check(first in text, "the roster lists the visit")
    check("attempted" in text and "met" in text, "the outcomes are summarised")
    driver.save_screenshot(os.path.join(shots, "dashboard.png"))
    not_blank(os.path.join(shots, "dashboard.png"))
    # Import a list with a mistake: the problem is shown beside its row.
    bad = os.path.join(work, "households-bad.csv")
    rows = open(os.path.join(prog, "households.csv"), encoding="utf-8").read().splitlines()
    rows[1] = rows[1].replace(",es,", ",klingon,")
    open(bad, "w", encoding="utf-8").write("\n".join(rows) + "\n")
    Select(driver.find_element(By.ID, "imp-kind")).select_by_value("households")
    driver.find_element(By.ID, "imp-file").send_keys(bad)
    driver.find_element(By.ID, "imp-submit").click()
    wait.until(lambda d: d.find_elements(By.ID, "import-problems"))
    table = driver.find_element(By.ID, "import-problems").text
    check("households.csv:2:language" in table and "klingon" in table,
          "the problem is listed beside the row: " + table[:200])
    driver.save_screenshot(os.path.join(shots, "dashboard-import.png"))
    not_blank(os.path.join(shots, "dashboard-import.png"))
    # Then the demo's households.csv, clean: imported; the week is planned
    # with it below.
    driver.find_element(By.ID, "imp-file").clear()
    driver.find_element(By.ID, "imp-file").send_keys(os.path.abspath(os.path.join(fixtures, "demo", "households.csv")))
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "imp-submit"))
    wait.until(lambda d: d.find_elements(By.ID, "import-ok"))
    check("Imported households.csv" in driver.find_element(By.ID, "import-ok").text, "the demo is imported")
    strip = lambda b: b[3:] if b.startswith(b"\xef\xbb\xbf") else b
    check(strip(open(os.path.join(prog, "households.csv"), "rb").read()).replace(b"\r\n", b"\n") ==
          strip(open(os.path.join(fixtures, "demo", "households.csv"), "rb").read()).replace(b"\r\n", b"\n"),
          "the program's households.csv is the demo's")

    # Plan the week from the page: the progress, then the summary and map.
    lim = driver.find_element(By.ID, "limit")
    lim.clear()
    lim.send_keys("2")
    driver.find_element(By.ID, "plan-button").click()
    WebDriverWait(driver, 90).until(
        lambda d: "Planned the week" in d.find_element(By.ID, "plan-status").text
        or "failed" in d.find_element(By.ID, "plan-status").text)
    status = driver.find_element(By.ID, "plan-status").text
    check("Planned the week of " + plan["week_of"] in status, "planned from the page: " + status)
    newp0 = json.load(open(os.path.join(prog, "weeks", plan["week_of"], "plan.json")))
    check(any(st["household"] == "H0001" or st["household"].startswith("H00") for rt in newp0["routes"]
              for st in rt["stops"]), "the plan visits the imported demo families")
    check(driver.find_elements(By.ID, "unvisited-table"), "the unvisited families and reasons")
    bound_text = driver.find_element(By.ID, "plan-bound").text if driver.find_elements(By.ID, "plan-bound") else ""
    check("No plan can cover more than %d priority" % newp0["summary"]["priority_bound"] in bound_text,
          "the page shows the bound on what any plan could cover: " + bound_text)
    wait.until(lambda d: d.find_elements(By.ID, "week-map"))
    wait.until(lambda d: d.execute_script(
        "const i = document.getElementById('week-map'); return i.complete && i.naturalWidth > 0"))
    check(True, "the week's map is shown")
    links = driver.find_elements(By.CSS_SELECTOR, "#file-list a")
    check(any(a.text == "roster.pdf" for a in links), "downloads listed")
    driver.save_screenshot(os.path.join(shots, "dashboard-planned.png"))
    not_blank(os.path.join(shots, "dashboard-planned.png"))
    # Move a visit to 03:00: the page lists the rules it would break.
    # (A visit to a family with windows: one without any may be seen at any
    # hour, and the move would then break only the pair's hours.)
    newp = json.load(open(os.path.join(prog, "weeks", plan["week_of"], "plan.json")))
    with open(os.path.join(prog, "households.csv"), encoding="utf-8-sig", newline="") as f:
        windowed = {row["id"] for row in csv.DictReader(f) if row["availability"].strip()}
    rt, was = next((r, st) for r in newp["routes"] for st in r["stops"]
                   if st["household"] in windowed)
    moved = was["household"]
    driver.find_element(By.ID, "mv-household").send_keys(moved)
    driver.find_element(By.ID, "mv-pair").send_keys(rt["pair"])
    Select(driver.find_element(By.ID, "mv-day")).select_by_value(rt["day"])
    driver.execute_script("document.getElementById('mv-start').value = '03:00'")
    # (Clicked by script: the page above may still be re-laid out.)
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "mv-check"))
    try:
        wait.until(lambda d: d.find_elements(By.ID, "broken-rules"))
    except Exception:
        print("move result:", driver.find_element(By.ID, "move-result").text)
        driver.save_screenshot(os.path.join(shots, "move-failed.png"))
        raise
    text = driver.find_element(By.ID, "broken-rules").text
    check("window" in text and "shared hours" in text,
          "the page says which rules the move breaks (the family's windows, the pair's hours): " + text[:300])
    driver.save_screenshot(os.path.join(shots, "dashboard-move.png"))
    not_blank(os.path.join(shots, "dashboard-move.png"))
    # Pin it, then re-plan the rest: the page reports the new plan.
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "mv-pin"))
    wait.until(lambda d: d.find_elements(By.ID, "pin-result"))
    check("Pinned" in driver.find_element(By.ID, "pin-result").text, "the page pins the visit")
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "rp-button"))
    wait.until(lambda d: "Planned the week" not in d.find_element(By.ID, "plan-status").text)
    WebDriverWait(driver, 90).until(
        lambda d: "Planned the week" in d.find_element(By.ID, "plan-status").text
        or "failed" in d.find_element(By.ID, "plan-status").text)
    check("Planned the week" in driver.find_element(By.ID, "plan-status").text, "re-planned from the page")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    made = db.execute("SELECT count(*) FROM audit WHERE action = 'plan made' AND login = 'cora'").fetchone()[0]
    db.close()
    check(made == 2, f"planned, then re-planned, by cora ({made})")
    # What if: the sweep's table and chart on the page.
    box = driver.find_element(By.ID, "wi-pairs")
    box.clear()
    box.send_keys("1..2")
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "wi-button"))
    WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.ID, "whatif-table")
                                     or "Failed" in d.find_element(By.ID, "wi-status").text)
    check(driver.find_elements(By.ID, "whatif-table"), "the what-if table: " +
          driver.find_element(By.ID, "wi-status").text)
    wait.until(lambda d: d.execute_script(
        "const i = document.getElementById('whatif-chart'); return i && i.complete && i.naturalWidth > 0"))
    driver.save_screenshot(os.path.join(shots, "dashboard-whatif.png"))
    not_blank(os.path.join(shots, "dashboard-whatif.png"))
    newp = json.load(open(os.path.join(prog, "weeks", plan["week_of"], "plan.json")))
    got = {s["household"]: (r["pair"], r["day"], s["start"], s.get("pinned")) for r in newp["routes"]
           for s in r["stops"]}
    check(got.get(moved) == (rt["pair"], rt["day"], was["start"], True),
          f"the pinned visit stayed: {got.get(moved)}")
    # The coordinator's password is set again elsewhere: the next thing the
    # page asks of the server leads to the login page.
    subprocess.run([hvplan, "users", "add", prog, "--login", "cora", "--role", "coordinator"],
                   input="coordinator-pass-2\n", check=True, capture_output=True, text=True)
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, "mv-check"))
    wait.until(lambda d: d.current_url.endswith("/login"))
    check(True, "an ended session leads to the login page")
finally:
    if driver:
        driver.quit()
    if server:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)

done()
