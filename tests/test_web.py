"""The web page front (#25) in a real browser: Debian's chromium, driven by selenium through Debian's chromedriver
(`make test` installs both; nothing is downloaded at run time). A copy of the sample is chosen by its path, 刷新汇总
shows the summary and the planted problem's row (filterable), the fixed workbook refreshes and exports, the bureau
file downloads and opens. The token, the Host check and the folder rule are tried without a browser.
KGXL_SCREENSHOTS=folder keeps the page's screenshots for a person to look at."""
import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from conftest import need
from python_calamine import CalamineWorkbook

from kgxl.front.web.recent import Recent
from kgxl.front.web.server import create_app

pytestmark = pytest.mark.slow
TOKEN = "test-token-3f9c2a"


@pytest.fixture
def server(tmp_path):
    from waitress import create_server

    srv = create_server(create_app(TOKEN, Recent(tmp_path / "config" / "ui.json")), host="127.0.0.1", port=0,
                        threads=4)
    threading.Thread(target=srv.run, daemon=True).start()
    yield f"http://127.0.0.1:{srv.effective_port}/"
    srv.close()


@pytest.fixture
def book(tmp_path, sample_copy) -> Path:
    folder = tmp_path / "文档" / "后勤"
    folder.mkdir(parents=True)
    return Path(shutil.move(sample_copy, folder / "阳光幼儿园.xlsm"))


def _get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _post(url, body, token=TOKEN):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json",
                                                                  "X-Kgxl-Token": token})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8")
        return e.code, json.loads(text) if text.startswith("{") else text


@pytest.fixture
def browser(tmp_path):
    need("chromium", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'chrome'}", "--window-size=1280,1700", "--lang=zh-CN"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    yield driver
    driver.quit()


def _shot(driver, tmp_path, name):
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    keep = os.environ.get("KGXL_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(keep) / path.name)


def _click_and_wait(driver, action: str) -> float:
    """Click an action's button; seconds until its summary shows. The buttons are disabled while it runs."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element(By.CSS_SELECTOR, f"button[data-action={action}]")
    driver.execute_script("document.getElementById('summary').textContent = ''")
    start = time.perf_counter()
    button.click()
    assert button.get_attribute("disabled") and driver.find_element(By.ID, "status").text.startswith("正在")
    WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "summary").text)
    return time.perf_counter() - start


def test_a_user_refreshes_and_exports_from_the_page(server, book, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wb = openpyxl.load_workbook(book, keep_vba=True)
    typed = wb["幼儿名册"]["C5"].value
    wb["幼儿名册"]["C5"] = "未知"  # a sex that is not 男/女: an 错误 at 幼儿名册!C5
    wb.save(book)
    browser.get(server + "?token=" + TOKEN)
    assert browser.title == "幼儿园后勤助手"
    browser.find_element(By.ID, "path").send_keys(str(book))
    browser.find_element(By.ID, "open").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "name").text)
    assert browser.find_element(By.ID, "name").text == "示例市阳光幼儿园"
    assert browser.find_element(By.ID, "month").get_attribute("value") == "2026-11"
    groups = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#groups legend")]
    assert groups[:2] == ["数据", "出勤"] and "上报" in groups  # as the ribbon groups them
    seconds = _click_and_wait(browser, "refresh")
    summary = browser.find_element(By.ID, "summary").text
    assert "未计算" in summary and "错误 1" in browser.find_element(By.ID, "counts").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
    cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]
    assert ["错误", "幼儿名册", "C5", "性别", "未知"] in [c[:5] for c in cells]
    Select(browser.find_element(By.ID, "f-severity")).select_by_visible_text("错误")
    shown = browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
    assert len(shown) == 1 and len(rows) > 1  # the planted 错误 among the sample's 警告
    _shot(browser, tmp_path, "1-refresh-stopped")
    (tmp_path / "timing.txt").write_text(f"click to summary, 刷新汇总 stopped on an 错误: {seconds:.2f} s\n")

    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb["幼儿名册"]["C5"] = typed
    wb.save(book)
    seconds = _click_and_wait(browser, "refresh")
    assert "已刷新 2026年11月" in browser.find_element(By.ID, "summary").text, browser.find_element(By.ID, "summary").text
    assert "错误 0" in browser.find_element(By.ID, "counts").text
    with (tmp_path / "timing.txt").open("a") as f:
        f.write(f"click to summary, 刷新汇总 on the sample: {seconds:.2f} s\n")
    browser.find_element(By.CSS_SELECTOR, "button[data-action=export]").click()  # the sheets to send, first
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "export-box").is_displayed())
    offered = {e.find_element(By.TAG_NAME, "input").get_attribute("value"): e
               for e in browser.find_elements(By.CSS_SELECTOR, "#export-sheets label")}
    checked = [n for n, e in offered.items() if e.find_element(By.TAG_NAME, "input").is_selected()]
    assert checked[:2] == ["出勤汇总", "营养分析"] and "卫生保健月报" in checked
    assert not offered["资产清点表"].find_element(By.TAG_NAME, "input").is_selected()
    assert offered["资产清点表"].text.endswith("含教职工姓名、工号或电话") and "含幼儿个人信息" in offered["幼儿出勤统计"].text
    assert "幼儿" not in offered["教职工资质"].text  # its 工号 are staff numbers (#43)
    assert browser.find_element(By.ID, "export-pdf").is_selected()  # LibreOffice is here (make test installs it)
    _shot(browser, tmp_path, "2a-export-choice")
    for label in offered.values():  # nothing ticked: nothing runs, and the panel says why
        box = label.find_element(By.TAG_NAME, "input")
        if box.is_selected():
            box.click()
    browser.find_element(By.ID, "export-go").click()
    assert browser.find_element(By.ID, "export-no-pdf").text == "请至少勾选一张表"
    assert browser.find_element(By.ID, "export-box").is_displayed()
    for name in checked:
        offered[name].find_element(By.TAG_NAME, "input").click()
    browser.execute_script("document.getElementById('summary').textContent = ''")
    browser.find_element(By.ID, "export-go").click()
    WebDriverWait(browser, 180).until(lambda d: d.find_element(By.ID, "summary").text)
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#links a")}
    xlsx = [h for t, h in links.items() if t.startswith("下载 ") and t.endswith(".xlsx")]
    assert len(xlsx) == 1 and any(t.endswith(".pdf") for t in links), links
    status, data = _get(xlsx[0])
    assert status == 200
    (tmp_path / "export.xlsx").write_bytes(data)
    assert "卫生保健月报" in CalamineWorkbook.from_path(str(tmp_path / "export.xlsx")).sheet_names
    status, log = _get(links["下载运行日志（CSV）"])
    assert status == 200 and "刷新汇总（网页）" in log.decode("utf-8-sig")
    _shot(browser, tmp_path, "2-exported")
    print((tmp_path / "timing.txt").read_text())


def test_without_the_token_or_outside_the_folder_nothing_is_served(server, book, tmp_path):
    assert _get(server)[0] == 403 and _get(server + "?token=wrong")[0] == 403
    assert _get(server + "api/state", {"X-Kgxl-Token": "wrong"})[0] == 403
    host = server.replace("127.0.0.1", "localhost")
    assert _get(host + "?token=" + TOKEN)[0] == 200
    assert _get(server + "?token=" + TOKEN, {"Host": "attacker.example:80"})[0] == 403  # a rebinding page
    status, body = _post(server + "api/open", {"path": "/etc/passwd"})
    assert status == 400 and "xlsm" in body["error"]
    assert _post(server + "api/open", {"path": str(book)}, token="wrong")[0] == 403
    status, body = _post(server + "api/open", {"path": str(book)})
    assert status == 200 and body["book"]["name"] == "示例市阳光幼儿园"
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"outside the workbook's folder")
    for name in ("..%2Fsecret.xlsx", "%2Fetc%2Fpasswd", "..", ".~lock.x%23", "nothing.xlsx"):
        assert _get(server + f"files/{name}?token={TOKEN}")[0] == 404, name
    assert _get(server + f"files/{quote(book.name)}?token={TOKEN}")[0] == 200  # the workbook's own folder only
    status, body = _post(server + "api/run", {"action": "no-such"})
    assert status == 400 and body["error"] == "没有这个操作"


def test_one_action_at_a_time_per_workbook(tmp_path, book):
    app = create_app(TOKEN, Recent(tmp_path / "ui.json"))
    client = app.test_client()
    headers = {"X-Kgxl-Token": TOKEN, "Host": "127.0.0.1:5000"}
    assert client.post("/api/open", json={"path": str(book)}, headers=headers).status_code == 200
    running = app.config["KGXL_BUSY"].setdefault(str(book), threading.Lock())
    running.acquire()  # a run in progress on this workbook
    try:
        r = client.post("/api/run", json={"action": "refresh"}, headers=headers)
        assert r.status_code == 409 and "正在运行另一个操作" in r.get_json()["error"]
    finally:
        running.release()
    r = client.post("/api/run", json={"action": "validate"}, headers=headers)
    assert r.status_code == 200 and r.get_json()["errors"] == 0


def test_a_workbook_open_elsewhere_is_refused_in_chinese(server, book):
    assert _post(server + "api/open", {"path": str(book)})[0] == 200
    lock = book.with_name(f".~lock.{book.name}#")  # LibreOffice's, beside the workbook
    lock.write_text("someone")
    status, body = _post(server + "api/run", {"action": "refresh", "month": "2026-11"})
    assert status == 400 and "请先保存并关闭" in body["error"]


def test_kgxl_ui_prints_its_address_with_the_token(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen([sys.executable, "-m", "kgxl", "ui", "--no-browser"], stdout=subprocess.PIPE, text=True,
                            env=env)
    try:
        line = proc.stdout.readline()
        # once in a full CI run a stray byte preceded the line (not reproduced alone): the line must hold the address
        assert "后勤助手网页已启动：http://127.0.0.1:" in line and "?token=" in line, line
        url = line.split("：", 1)[1].strip()
        status, page = _get(url)
        assert status == 200 and "幼儿园后勤助手" in page.decode("utf-8")
        assert _get(url.split("?")[0])[0] == 403
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_page_behaves_like_a_good_form(server, book, browser, tmp_path):
    """#43: a failed open puts the workbook in use back in the box (the next action runs on the one it names); each
    action's result is brought into view at 1366x768 with a status line that stays; a disabled button looks
    disabled; the month is a Chinese list of the term's months; 级别 does not wrap."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.set_window_size(1366, 768)
    browser.get(server + "?token=" + TOKEN)
    box = browser.find_element(By.ID, "path")
    box.send_keys(str(book))
    browser.find_element(By.ID, "open").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "name").text)
    month = Select(browser.find_element(By.ID, "month"))
    assert [o.text for o in month.options][:2] == ["2026年9月", "2026年10月"] and month.first_selected_option.text == "2026年11月"
    month.select_by_visible_text("2026年10月")

    box.clear()
    box.send_keys(str(book.with_name("不存在的园.xlsm")))
    browser.find_element(By.ID, "open").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "open-error").text)
    assert "找不到这个文件" in browser.find_element(By.ID, "open-error").text
    assert "仍在使用" in browser.find_element(By.ID, "open-error").text
    assert box.get_attribute("value") == str(book)  # the box names the workbook the buttons act on
    _shot(browser, tmp_path, "3-failed-open")

    refresh = browser.find_element(By.CSS_SELECTOR, "button[data-action=refresh]")
    enabled = refresh.value_of_css_property("background-color")
    browser.execute_script("buttons(true)")
    assert refresh.value_of_css_property("background-color") != enabled
    assert refresh.value_of_css_property("background-color") == "rgba(240, 240, 240, 1)"
    browser.execute_script("buttons(false)")

    _click_and_wait(browser, "validate")
    status = browser.find_element(By.ID, "status").text
    assert status.startswith("【校验数据】已完成") and "结果见下方" in status
    top = browser.execute_script("return document.getElementById('result').getBoundingClientRect().top")
    assert -2 <= top < browser.execute_script("return window.innerHeight")  # the result is in view (to the subpixel)
    first = browser.find_element(By.CSS_SELECTOR, "#problems tbody tr td")
    assert first.value_of_css_property("white-space") == "nowrap"
    assert first.size["height"] < 30 and first.text in ("错误", "警告")  # one line, not 警/告
    _shot(browser, tmp_path, "4-validated-in-view")


def _resident_id(birth: str, seq: int) -> str:
    """A well-formed 18-digit number (area 110101, the birth date, a sequence) with its ISO 7064 MOD 11-2 check."""
    body = f"110101{birth.replace('-', '')}{seq:03d}"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def _in_view(driver, element_id: str) -> bool:
    top, bottom = driver.execute_script(
        f"const r = document.getElementById('{element_id}').getBoundingClientRect(); return [r.top, r.bottom]")
    return -2 <= top < driver.execute_script("return window.innerHeight") and bottom > 0


def test_every_task_without_a_command(server, browser, tmp_path):
    """#43: on a fresh folder, at 1366x768, with no command typed: a new workbook; a roster in GB18030 with one
    bad ID number (the file's row and column shown, nothing imported), then fixed and imported; 刷新汇总; the
    export of chosen sheets with a PDF; the next term's workbook with the class moves shown first; a book of the
    first attendance release (15076a6) upgraded and given its buttons. After each, the result is in view and the
    box names the workbook the next action runs on."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    folder = tmp_path / "文档" / "后勤"
    folder.mkdir(parents=True)
    browser.set_window_size(1366, 768)
    browser.get(server + "?token=" + TOKEN)
    find = browser.find_element

    def done(label: str, seconds: int = 180) -> str:
        WebDriverWait(browser, seconds).until(lambda d: d.find_element(By.ID, "status").text.startswith(f"【{label}】"))
        assert _in_view(browser, "result"), label
        return find(By.ID, "summary").text

    def type_in(element_id: str, text: str) -> None:
        find(By.ID, element_id).clear()
        find(By.ID, element_id).send_keys(text)

    find(By.ID, "t-new").click()
    assert find(By.ID, "new-box").is_displayed()
    type_in("new-name", "向阳幼儿园")
    type_in("new-start", "2026-09-01")
    type_in("new-end", "2027-01-22")
    type_in("new-folder", str(folder))
    _shot(browser, tmp_path, "t1-new-workbook")
    find(By.ID, "new-go").click()
    said = done("新建工作簿")
    book = folder / "向阳幼儿园.xlsm"
    assert "已新建主工作簿" in said and book.is_file()
    assert find(By.ID, "name").text == "向阳幼儿园" and find(By.ID, "path").get_attribute("value") == str(book)

    wb = openpyxl.load_workbook(book, keep_vba=True)  # what the user types in the workbook: 基本信息 and the class
    for cell, value in (("B6", "周园长"), ("B7", "吴会计"), ("B8", "郑医生"), ("B12", 8), ("B13", "按缺勤天数退"),
                        ("B19", "月")):
        wb["基本信息"][cell] = value
    wb["班级"].append(["小一班", "小班", "陈老师"])
    wb.save(book)
    children = [("王小明", "2023-03-07", 1), ("李小红", "2023-05-12", 2), ("赵一诺", "2023-08-30", 3)]
    rows = [[n, _resident_id(b, s), "小一班", "2026-09-01"] for n, b, s in children]
    good = rows[1][1]
    rows[1][1] = good[:-1] + ("0" if good[-1] != "0" else "1")  # one number copied wrong: its check digit fails
    roster = folder / "小一班名单.csv"

    def write_roster():
        roster.write_bytes("\n".join(",".join(r) for r in [["姓名", "身份证号", "班级", "入园日期"], *rows])
                           .encode("gb18030"))
    write_roster()
    find(By.CSS_SELECTOR, "button#t-import").click()
    Select(find(By.ID, "import-kind")).select_by_value("roster")
    find(By.ID, "import-file").send_keys(str(roster))
    find(By.ID, "import-go").click()
    said = done("导入名单")
    assert "未写入任何内容" in said
    cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")]
             for r in browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")]
    assert [c[:4] for c in cells] == [["错误", "小一班名单.csv", "B3", "身份证号"]]
    assert "校验位" in cells[0][5]
    assert len(openpyxl.load_workbook(book)["幼儿名册"]["A"]) == 1  # the header only: nothing imported
    _shot(browser, tmp_path, "t2-import-refused")
    rows[1][1] = good
    write_roster()
    find(By.CSS_SELECTOR, "button#t-import").click()
    find(By.ID, "import-file").send_keys(str(roster))
    find(By.ID, "import-go").click()
    said = done("导入名单")
    assert "导入 3 名幼儿到“幼儿名册”" in said
    names = [c.value for c in openpyxl.load_workbook(book)["幼儿名册"]["B"]][1:]
    assert [n for n in names if n] == [n for n, _, _ in children]
    _shot(browser, tmp_path, "t3-imported")

    _click_and_wait(browser, "refresh")
    assert _in_view(browser, "result") and "已刷新" in find(By.ID, "summary").text, find(By.ID, "summary").text
    _shot(browser, tmp_path, "t4-refreshed")

    find(By.CSS_SELECTOR, "button[data-action=export]").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "export-box").is_displayed())
    offered = {e.find_element(By.TAG_NAME, "input").get_attribute("value"): e.find_element(By.TAG_NAME, "input")
               for e in browser.find_elements(By.CSS_SELECTOR, "#export-sheets label")}
    chosen = ("卫生保健月报", "体检提醒")  # a default sheet and one that names children, ticked on purpose
    for name, box in offered.items():
        if box.is_selected() != (name in chosen):
            box.click()
    assert find(By.ID, "export-pdf").is_selected()
    find(By.ID, "export-go").click()
    WebDriverWait(browser, 180).until(lambda d: d.find_element(By.ID, "status").text.startswith("【导出上报】"))
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#links a")]
    assert any(t.endswith(".xlsx") for t in links) and any(t.endswith(".pdf") for t in links), links
    assert _in_view(browser, "result") and "卫生保健月报、体检提醒" in find(By.ID, "summary").text
    _shot(browser, tmp_path, "t5-exported")

    find(By.ID, "t-term").click()
    type_in("term-start", "2027-02-22")
    type_in("term-end", "2027-07-09")
    find(By.ID, "term-preview").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "term-plan").is_displayed())
    plan = [[td.text for td in r.find_elements(By.TAG_NAME, "td")]
            for r in browser.find_elements(By.CSS_SELECTOR, "#term-classes tbody tr")]
    assert plan == [["小一班", "3 名", ""]]  # the class keeps its name within a school year (an input, not text)
    assert find(By.CSS_SELECTOR, "#term-classes input").get_attribute("value") == "小一班"
    assert find(By.ID, "term-file").get_attribute("value") == "向阳幼儿园（2026-2027学年第二学期）.xlsm"
    _shot(browser, tmp_path, "t6-new-term-plan")
    find(By.ID, "term-go").click()
    said = done("新学期")
    spring = folder / "向阳幼儿园（2026-2027学年第二学期）.xlsm"
    assert "带入 3 名" in said and spring.is_file()
    assert find(By.ID, "path").get_attribute("value") == str(spring) and "第二学期" in find(By.ID, "term").text
    _shot(browser, tmp_path, "t7-new-term")

    old = folder / "旧版工作簿.xlsm"
    shutil.copy2(Path(__file__).parent / "fixtures" / "Logistics-15076a6.xlsm", old)
    type_in("path", str(old))
    find(By.ID, "open").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "path").get_attribute("value") == str(old)
                                     and d.find_element(By.ID, "name").text == "示例市阳光幼儿园")
    find(By.ID, "t-upgrade").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "upgrade-text").text)
    assert "将添加后勤助手按钮和宏" in find(By.ID, "upgrade-text").text
    assert "旧版工作簿.backup.xlsm" in find(By.ID, "upgrade-box").text
    _shot(browser, tmp_path, "t8-upgrade-plan")
    find(By.ID, "upgrade-go").click()
    said = done("升级工作簿", 300)
    assert "已添加后勤助手按钮和宏（原工作簿没有）" in said and "刷新汇总" in said
    with zipfile.ZipFile(old) as z:
        assert {"xl/vbaProject.bin", "customUI/customUI.xml"} <= set(z.namelist())
    assert (folder / "旧版工作簿.backup.xlsm").is_file()
    _shot(browser, tmp_path, "t9-upgraded")


def test_the_first_screen_shows_what_is_due(server, book, browser, tmp_path):
    """#49: a throw-away domain with only a `due` hook, registered and nothing else edited: its item is on the
    first screen after the workbook opens (1366×768), with where to act, and copying the place is one click."""
    import datetime as dt

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from kgxl.app import registry
    from kgxl.core.domain import Domain
    from kgxl.core.due import DueItem

    def due(v, today):
        return [DueItem("玩具消毒柜年检（测试领域）", today - dt.timedelta(days=3), "基本信息", "B2", "保健老师")]

    toys = Domain(name="toys_due", title="玩具", group="玩具", due=due, due_inputs=("settings",))
    registry.register(toys)
    try:
        browser.set_window_size(1366, 768)
        browser.get(server + "?token=" + TOKEN)
        browser.find_element(By.ID, "path").send_keys(str(book))
        browser.find_element(By.ID, "open").click()
        WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#todo-list tbody tr"))
        rows = browser.find_elements(By.CSS_SELECTOR, "#todo-list tbody tr")
        cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]
        mine = [c for c in cells if c[2] == "玩具消毒柜年检（测试领域）"]
        assert mine and mine[0][0] == "已逾期" and mine[0][4] == "玩具" and mine[0][5] == "“基本信息” B2", mine
        assert browser.find_element(By.ID, "todo-summary").text.startswith("截至 ")
        first = browser.find_element(By.ID, "todo")
        assert first.location["y"] < 768  # on the first screen, not below the buttons
        assert first.location["y"] < browser.find_element(By.ID, "actions").location["y"]
        _shot(browser, tmp_path, "todo-first-screen-1366x768")
        row = rows[[c[2] for c in cells].index("玩具消毒柜年检（测试领域）")]
        row.find_element(By.TAG_NAME, "a").click()
        WebDriverWait(browser, 10).until(lambda d: "基本信息!B2" in d.find_element(By.ID, "todo-hint").text)
    finally:
        registry.unregister(toys)
