"""antre.js's stream rule in Chromium, on the module as a real server serves it: an old seq is
ignored, a gap or an unknown room takes one fresh snapshot (events meanwhile wait for it), a
reconnect takes one; and its site clock. The socket and the snapshot source are small stand-ins
in the page: a server cannot be made to skip a sequence number on demand."""

from __future__ import annotations

import pytest

from tests.display.live import Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A stream over a stand-in socket; snapshots wait until the test answers them.
HARNESS = """() => {
  var handlers = {}, asks = [], answers = [];
  var log = { joins: 0, snapshots: 0, applied: [], events: [] };
  var socket = {
    connected: false,
    on: function (name, fn) { handlers[name] = fn; },
    emit: function (name, payload, ack) { log.joins++; answers.push(ack); }
  };
  var live = Antre.stream({
    socket: socket, events: ['x.changed'], join: { zone: 1 },
    initial: { seqs: { 'agency:1': 5, 'site:1': 2 } },
    snapshot: function (done) { log.snapshots++; asks.push(done); },
    onSnapshot: function (data) { log.applied.push(data.seqs); },
    onEvent: function (name, msg) { log.events.push(msg.room + '#' + msg.seq); }
  });
  window.T = {
    log: log, live: live,
    fire: function (room, seq) { handlers['x.changed']({ room: room, seq: seq }); },
    connect: function () { socket.connected = true; handlers.connect(); },
    drop: function () { socket.connected = false; },
    answerJoin: function (seqs) { answers.shift()({ ok: true, seqs: seqs }); },
    answerSnapshot: function (seqs) { asks.shift()({ seqs: seqs }); }
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("antre-js")).start()
    yield running
    running.stop()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}/display/")  # any page on base.html: it loads /static/shared/antre.js
    page.evaluate(HARNESS)
    yield page
    context.close()


def log(page) -> dict:
    return page.evaluate("() => JSON.parse(JSON.stringify(T.log))")


def test_in_order_events_apply_and_old_ones_are_ignored(page):
    for seq in (6, 5, 4, 6, 7):
        page.evaluate("s => T.fire('agency:1', s)", seq)
    got = log(page)
    assert got["events"] == ["agency:1#6", "agency:1#7"] and got["snapshots"] == 0


def test_a_gap_takes_one_snapshot_and_the_events_meanwhile_follow_it(page):
    page.evaluate("() => { T.fire('agency:1', 8); T.fire('agency:1', 9); T.fire('agency:1', 10); }")
    assert log(page)["snapshots"] == 1 and log(page)["events"] == []
    page.evaluate("() => T.answerSnapshot({ 'agency:1': 9, 'site:1': 2 })")
    got = log(page)
    assert got["snapshots"] == 1  # 9 was in the snapshot, 10 follows it: no second one
    assert got["events"] == ["agency:1#10"]


def test_an_unknown_room_takes_one_snapshot(page):
    page.evaluate("() => T.fire('agency:7', 3)")
    assert log(page)["snapshots"] == 1
    page.evaluate("() => T.answerSnapshot({ 'agency:1': 5, 'site:1': 2, 'agency:7': 3 })")
    page.evaluate("() => T.fire('agency:7', 4)")
    got = log(page)
    assert got["events"] == ["agency:7#4"] and got["snapshots"] == 1


def test_a_room_no_snapshot_knows_costs_one_snapshot_not_one_per_event(page):
    page.evaluate("() => T.fire('agency:9', 1)")
    page.evaluate("() => T.answerSnapshot({ 'agency:1': 5, 'site:1': 2 })")
    page.evaluate("() => { T.fire('agency:9', 2); T.fire('agency:9', 3); }")
    assert log(page)["snapshots"] == 1 and log(page)["events"] == []


def test_first_join_resyncs_only_when_behind_and_every_reconnect_resyncs(page):
    page.evaluate("() => { T.connect(); T.answerJoin({ 'agency:1': 5, 'site:1': 2 }); }")
    assert log(page)["joins"] == 1 and log(page)["snapshots"] == 0
    page.evaluate("() => { T.drop(); T.connect(); T.answerJoin({ 'agency:1': 5, 'site:1': 2 }); }")
    assert log(page)["joins"] == 2 and log(page)["snapshots"] == 1


def test_a_first_join_ahead_of_the_snapshot_resyncs(page):
    page.evaluate("() => { T.connect(); T.answerJoin({ 'agency:1': 6, 'site:1': 2 }); }")
    assert log(page)["snapshots"] == 1


def test_site_clock_in_the_sites_fixed_offset(page):
    # 2026-07-05 23:30 UTC is Monday 6 July, 06.30 in WIB (UTC+7) and 08.30 in WIT (UTC+9).
    ms = 1783294200000
    wib = page.evaluate("ms => Antre.siteClock(ms, 420, 'id')", ms)
    wit = page.evaluate("ms => Antre.siteClock(ms, 540, 'en')", ms)
    assert wib == {"date": "Senin, 6 Juli 2026", "time": "06.30"}
    assert wit == {"date": "Monday, 6 July 2026", "time": "08.30"}
    day = page.evaluate(
        "() => [Antre.dayText('2026-07-06', 'id'), Antre.dayText('2026-07-06', 'en')]"
    )
    assert day == ["Senin, 6 Juli", "Monday, 6 July"]
