"""Join cards, as a coach makes them before a convening: from the command line or from
the convening page, for the address the teams' laptops reach; and a new code for a
team whose card was lost."""

from __future__ import annotations

import re

import pytest

from ciwidgets.cli import main
from ciwidgets.model import Network, Team
from ciwidgets.render.cards import join_cards_html
from ciwidgets.session import Session
from ciwidgets.widgets.cards import JoinCards

LAN = "http://192.168.1.20:8866"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cards_of(page: str) -> list[str]:
    return re.findall(r'<section class="card".*?</section>', page, flags=re.S)


def test_a_card_per_team_with_its_link_code_and_qr(demo_network):
    store, network, teams = demo_network
    page = join_cards_html(network, store.teams(network.id), LAN)
    cards = cards_of(page)
    assert len(cards) == len(teams) == 4
    for team, card in zip(store.teams(network.id), cards, strict=True):
        assert f"<h1>{team.name}</h1>" in card
        assert f"{LAN}/voila/render/00-start-here.ipynb?team={team.join_code}" in card
        assert f"<strong>{team.join_code}</strong>" in card
        assert card.count("<svg") == 1 and 'class="qr"' in card
        assert f"Or open <span class=\"mono\">{LAN}/</span>" in card
    assert network.hub_code not in page  # the coach's code is never on a team's card


def test_the_qr_code_is_scaled_to_the_card_whole_not_clipped(demo_network):
    store, network, _ = demo_network
    [svg] = re.findall(r"<svg[^>]*>", cards_of(join_cards_html(network, store.teams(network.id)[:1], LAN))[0])
    size = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert size and size[1] == size[2]  # the whole code, quiet zone included, fits the printed square
    assert "width=" not in svg and "height=" not in svg  # which a fixed size would have clipped


def test_a_team_name_is_text_on_its_card():
    network = Network(name="North <b>Network</b>")
    team = Team(network_id=network.id, name="<script>alert(1)</script> & co", school="")
    page = join_cards_html(network, [team], LAN)
    assert "<script>alert" not in page and "<b>Network" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_a_network_without_teams_gets_a_page_that_says_so():
    page = join_cards_html(Network(name="New network"), [], LAN)
    assert cards_of(page) == [] and "no teams yet" in page


# -- the command line ---------------------------------------------------------------------------
@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.db")


def test_team_cards_writes_the_page_for_the_address_given(capsys, db, tmp_path):
    run(capsys, "--db", db, "demo")
    out_file = tmp_path / "cards.html"
    code, out, _ = run(capsys, "--db", db, "team", "cards", "--url", "192.168.1.20:8866", "-o", str(out_file))
    assert code == 0 and "Wrote 4 join cards for Riverside Improvement Network" in out
    page = out_file.read_text(encoding="utf-8")
    assert len(cards_of(page)) == 4
    assert page.count(f"{LAN}/voila/render/00-start-here.ipynb?team=") == 4  # http added as typed


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not an address",
                                 'http://x.org/"><script>alert(3)</script>', "http://sch<ool>.org:8866"])
def test_team_cards_refuses_an_address_teams_cannot_open(capsys, db, tmp_path, url):
    run(capsys, "--db", db, "demo")
    out_file = tmp_path / "cards.html"
    code, _, err = run(capsys, "--db", db, "team", "cards", "--url", url, "-o", str(out_file))
    assert code != 0 and "--url must be a web address" in err
    assert not out_file.exists()


def test_team_cards_on_an_empty_store_says_what_to_do(capsys, db, tmp_path):
    code, _, err = run(capsys, "--db", db, "team", "cards", "-o", str(tmp_path / "cards.html"))
    assert code != 0 and "add a team first" in err


def test_a_lost_card_gets_a_new_code_and_the_old_one_opens_nothing(capsys, db):
    from ciwidgets.store import Store

    run(capsys, "--db", db, "demo")
    store = Store(db)
    fox = next(t for n in store.networks() for t in store.teams(n.id) if t.name == "Fox Elementary")
    code, out, _ = run(capsys, "--db", db, "team", "new-code", fox.join_code, "--url", LAN)
    assert code == 0
    renewed = store.load(Team, fox.id)[0]
    assert renewed.join_code != fox.join_code
    assert store.by_code(fox.join_code) is None
    assert store.by_code(renewed.join_code).id == fox.id
    assert f"Join link: {LAN}/voila/render/00-start-here.ipynb?team={renewed.join_code}" in out
    assert store.current_project(fox.id).fishbone.causes  # the team's work is where it was
    code, out, _ = run(capsys, "--db", db, "team", "new-code", "Eagle")  # by name works too
    assert code == 0 and "Eagle Elementary has a new join code" in out
    eagle = store.by_code(out.split("new join code: ")[1].split(".")[0])
    code, _, err = run(capsys, "--db", db, "team", "new-code", "Eagle", "--url", "javascript:x")
    assert code != 0 and "--url must be a web address" in err
    assert store.by_code(eagle.join_code) == eagle  # refused before anything changed


# -- on the convening page ----------------------------------------------------------------------
def download(view: JoinCards) -> tuple[dict, str]:
    sent = []
    view.download.send = lambda content, buffers=None: sent.append((content, buffers))
    view.download._on_msg(view.download, {"event": "download"}, [])
    content, buffers = sent[0]
    return content, bytes(buffers[0]).decode()


def hub(store, network) -> Session:
    return Session(store, Network, network.id, "coach")


def test_the_page_offers_the_address_it_was_opened_at(fresh_demo_network, monkeypatch):
    store, network, teams = fresh_demo_network
    monkeypatch.setenv("SERVER_NAME", "192.168.1.20")
    monkeypatch.setenv("SERVER_PORT", "8866")
    view = JoinCards(hub(store, network))
    assert view.address.value == LAN
    assert "The cards will open" in view.says.value
    content, page = download(view)
    assert content["filename"] == "join-cards-riverside-improvement-network.html"
    assert page.count(f"{LAN}/voila/render/00-start-here.ipynb?team=") == len(teams)
    assert network.hub_code not in view.says.value + view.address.value


def test_an_address_only_the_server_reaches_is_flagged_and_can_be_changed(fresh_demo_network, monkeypatch):
    store, network, _teams = fresh_demo_network
    monkeypatch.setenv("SERVER_NAME", "127.0.0.1")
    monkeypatch.setenv("SERVER_PORT", "8866")
    view = JoinCards(hub(store, network))
    assert "only works on the server itself" in view.says.value
    view.address.set_state({"value": "javascript:alert(1)"})  # as typed in the browser
    assert "must be a web address" in view.says.value
    assert "The cards still use http://127.0.0.1:8866" in view.says.value
    view.address.set_state({"value": "school-server.example.org:8866"})  # typed without http://
    assert "The cards will open <strong>http://school-server.example.org:8866</strong>" in view.says.value
    assert view.address.value == "http://school-server.example.org:8866"  # shown as it will print
    assert "http://school-server.example.org:8866/voila/render/" in download(view)[1]


def test_a_team_added_after_the_page_opened_gets_a_card(fresh_demo_network):
    store, network, teams = fresh_demo_network
    view = JoinCards(hub(store, network))
    store.create(Team(network_id=network.id, name="Maple Elementary"))
    assert len(cards_of(download(view)[1])) == len(teams) + 1


def test_a_team_code_does_not_make_cards(fresh_demo_network):
    store, _network, teams = fresh_demo_network
    view = JoinCards(Session.for_team(store, teams["Fox"]))
    assert "hub code" in view.children[0].value


def test_a_hub_link_that_went_too_far_gets_a_new_code(capsys, db):
    from ciwidgets.store import Store

    run(capsys, "--db", db, "demo")
    store = Store(db)
    old = store.networks()[0]
    code, out, _ = run(capsys, "--db", db, "hub", "new-code", "--url", LAN)
    assert code == 0
    renewed = store.networks()[0]
    assert renewed.hub_code != old.hub_code and store.by_code(old.hub_code) is None
    assert store.by_code(renewed.hub_code).id == old.id
    assert f"Coach's hub: {LAN}/voila/render/08-network-convening.ipynb?hub={renewed.hub_code}" in out
    assert [t.join_code for t in store.teams(old.id)] == [t.join_code for t in store.teams(renewed.id)]


@pytest.mark.parametrize("typed", ["http://192.168.1.20:8866", "https://school.example.org/ci/", "localhost:8866",
                                   "http://[::1]:8866", "https://example.org/improve%20work/"])
def test_addresses_a_school_uses_are_taken(typed):
    from ciwidgets.render.cards import server_address

    assert server_address(typed).endswith(typed.split("//")[-1])
