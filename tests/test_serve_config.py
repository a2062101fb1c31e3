"""`ciwidgets serve` without a server: its configuration, landing-page data and guards."""

from __future__ import annotations

from pathlib import Path

from ciwidgets.model import Network, Team
from ciwidgets.serve.app import default_pools, kernel_environment, voila_config
from ciwidgets.serve.catalog import first_paragraph, list_workbooks, phase_notebooks
from ciwidgets.serve.handlers import landing_words, passed_on
from ciwidgets.serve.kernels import CiwidgetsKernelManager
from ciwidgets.serve.process import write_notebook


def make_folder(tmp_path: Path) -> Path:
    write_notebook(tmp_path / "02-understand-the-problem.ipynb", "x = 1", markdown="# 2. Understand\n\nHear the people who live it.")
    write_notebook(tmp_path / "00-start-here.ipynb", "x = 1", markdown="# Start")
    write_notebook(tmp_path / "08-network-convening.ipynb", "x = 1", markdown="# Hub\n\nEvery team side by side.")
    write_notebook(tmp_path / "scratch.ipynb", "x = 1")  # not a workbook: no number
    return tmp_path


def test_workbooks_are_listed_in_phase_order_with_friendly_names(tmp_path):
    entries = list_workbooks(make_folder(tmp_path))
    assert [e.filename for e in entries] == [
        "00-start-here.ipynb", "02-understand-the-problem.ipynb", "08-network-convening.ipynb",
    ]
    assert [e.title for e in entries] == ["Start here", "Understand the problem", "Network convening"]
    assert entries[1].summary == "Hear the people who live it."
    assert [e.for_coaches for e in entries] == [False, False, True]


def test_only_team_workbooks_get_preheated_kernels(tmp_path):
    folder = make_folder(tmp_path)
    assert phase_notebooks(folder) == ["00-start-here.ipynb", "02-understand-the-problem.ipynb"]
    assert default_pools(folder, preheat=True, pool_size=2) == {
        "00-start-here.ipynb": 2, "02-understand-the-problem.ipynb": 2,
    }
    assert default_pools(folder, preheat=False) == {}


def test_a_summary_is_the_first_prose_paragraph_in_plain_words():
    markdown = "# Title\n\n> a quote\n\nWhy this **step** matters: see [the guide](x.md).\nIt is short.\n\nMore."
    assert first_paragraph(markdown) == "Why this step matters: see the guide. It is short."
    first = "A first sentence that is long enough to tell a team what the step is for."
    assert first_paragraph(first + " " + "word " * 80) == first
    cut = first_paragraph("word " * 80)
    assert cut.endswith("…") and len(cut) <= 181


def test_visitors_see_no_code_no_traceback_and_no_cdn_template(tmp_path):
    c = voila_config(folder=tmp_path, port=8866, host="127.0.0.1", open_browser=False, pools={})
    assert c.VoilaConfiguration.template == "ciwidgets"
    assert c.VoilaConfiguration.strip_sources is True
    assert c.VoilaConfiguration.show_tracebacks is False
    assert c.VoilaExecutor.show_tracebacks is False
    assert c.VoilaConfiguration.allow_template_override == "NO"
    assert c.VoilaConfiguration.preheat_kernel is False


def test_idle_kernels_without_a_browser_are_culled_and_open_tabs_kept(tmp_path):
    c = voila_config(folder=tmp_path, port=8866, host="127.0.0.1", open_browser=False,
                     pools={"00-start-here.ipynb": 1})
    assert c.MappingKernelManager.cull_idle_timeout > 0
    assert c.MappingKernelManager.cull_interval > 0
    assert c.MappingKernelManager.cull_connected is False
    assert c.VoilaConfiguration.preheat_kernel is True
    assert c.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0}, "00-start-here.ipynb": {"pool_size": 1},
    }


def test_serve_uses_the_kernel_manager_that_spares_loading_pages(tmp_path):
    c = voila_config(folder=tmp_path, port=8866, host="127.0.0.1", open_browser=False, pools={})
    assert c.VoilaConfiguration.multi_kernel_manager_class == "ciwidgets.serve.kernels.CiwidgetsKernelManager"


def test_a_kernel_is_not_culled_before_its_page_connects(monkeypatch):
    manager = CiwidgetsKernelManager(first_connection_grace=60)
    clock = [1000.0]
    monkeypatch.setattr("ciwidgets.serve.kernels.time.monotonic", lambda: clock[0])
    manager._started_at["k1"] = clock[0]
    assert manager.waiting_for_first_connection("k1")
    clock[0] += 61  # a page that never came: culling may end it
    assert not manager.waiting_for_first_connection("k1")
    manager._started_at["k2"] = clock[0]
    manager.notify_connect("k2")  # its page connected: ordinary culling from now on
    assert not manager.waiting_for_first_connection("k2")


def test_a_kernel_still_starting_is_not_culled(monkeypatch):
    """A culling round during a crowd's arrival met kernels with no activity recorded yet."""
    import asyncio

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    manager = CiwidgetsKernelManager(first_connection_grace=60)
    seen = {}

    async def slow_start(self, *, kernel_id=None, **kwargs):
        await manager.cull_kernels()  # a culling round comes while the kernel starts
        seen["while starting"] = manager.waiting_for_first_connection(kernel_id)
        return kernel_id

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", slow_start)
    kernel_id = asyncio.run(manager.start_kernel(kernel_name="python3"))
    assert seen["while starting"] is True
    assert manager.waiting_for_first_connection(kernel_id)
    manager.remove_kernel(kernel_id)  # shut down before any page connected: forgotten
    assert kernel_id not in manager._started_at


def test_kernels_get_an_absolute_store_location_and_no_stray_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = kernel_environment("demo.db", "0.0.0.0", tmp_path / "templates")
    assert env["CIWIDGETS_DB"] == f"sqlite:///{tmp_path / 'demo.db'}"
    assert env["JUPYTER_NO_CONFIG"] == "1"
    assert env["JUPYTER_PATH"].split(":")[0] == str(tmp_path / "templates")
    assert env["VOILA_APP_IP"] == "127.0.0.1"  # where a preheated kernel asks for its join code
    url = "postgresql+psycopg://u@db.example.org/ciw"
    assert kernel_environment(url, "10.0.0.5", tmp_path)["CIWIDGETS_DB"] == url


def test_only_well_formed_codes_are_passed_on():
    assert passed_on({"team": "87dq-yx56-p9", "me": "Ms. Chen"}) == {"team": "87dq-yx56-p9", "me": "Ms. Chen"}
    assert passed_on({"team": '"><script>', "hub": "a b", "me": "<b>x</b>"}) == {}
    assert passed_on({"team": "  ", "other": "x"}) == {}
    assert passed_on({"team": "87DQ YX56 P9", "hub": "87dqyx56p9"}) == {"team": "87dq-yx56-p9", "hub": "87dq-yx56-p9"}


def test_the_landing_page_names_the_team_and_never_writes_a_code():
    network = Network(name="Riverside")
    fox = Team(network_id=network.id, name="Fox Elementary")
    kept = {"team": fox.join_code, "me": "Ms. Chen"}
    words = landing_words(kept, fox.join_code, fox)
    assert words["team_name"] == "Fox Elementary" and not words["bad_code"] and not words["typed_hub"]
    assert words["query"] == f"team={fox.join_code}&me=Ms.+Chen" and words["hub_code"] == ""
    assert fox.join_code not in str({k: v for k, v in words.items() if k != "query"})


def test_the_hub_code_in_the_join_form_leads_to_the_convening_only():
    network = Network(name="Riverside")
    typed = landing_words({"team": network.hub_code}, network.hub_code, network)
    assert typed["typed_hub"] and not typed["bad_code"] and typed["team_name"] == ""
    assert typed["query"] == "" and typed["hub_code"] == network.hub_code  # team workbooks get no code
    from_hub = landing_words({"hub": network.hub_code}, "", network)  # "All workbooks" on the convening
    assert not from_hub["typed_hub"] and from_hub["query"] == "" and from_hub["hub_code"] == network.hub_code


def test_a_code_that_opens_nothing_is_said_so_on_the_landing_page():
    assert landing_words({"team": "zzzz-zzzz-zz"}, "zzzz-zzzz-zz", None)["bad_code"]
    assert landing_words({}, "<script>", None)["bad_code"]  # malformed: never kept
    assert not landing_words({}, "", None)["bad_code"]  # nothing typed yet
