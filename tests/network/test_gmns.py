from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from corridor.errors import FormatError, InputError, NetworkValidationError
from corridor.network import Network, read_gmns, read_network, validate, write_gmns
from corridor.network import gmns as gmns_module
from corridor.strategies import networks
from corridor.testing import tiny_network


def assert_same_network(a: Network, b: Network) -> None:
    pd.testing.assert_frame_equal(a.places, b.places)
    pd.testing.assert_frame_equal(a.links, b.links)
    assert set(a.parameters) == set(b.parameters)
    for name in a.parameters:
        pd.testing.assert_frame_equal(a.parameters[name], b.parameters[name])
    assert dict(a.metadata) == dict(b.metadata)


def write_files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_tiny_network_files_known_answer(tmp_path: Path) -> None:
    write_gmns(tiny_network(), tmp_path / "net")
    node = (tmp_path / "net" / "node.csv").read_text()
    assert node.splitlines()[:2] == [
        "node_id,name,country,kind,x_coord,y_coord,status",
        "A,Alpha,KAZ,city,50.0,40.0,open",
    ]
    link = (tmp_path / "net" / "link.csv").read_text().splitlines()
    assert link[0] == (
        "link_id,from_node_id,to_node_id,mode,status,length,length_source,allowed_uses,directed"
    )
    assert link[4] == "AD,A,D,road,open,300.0,test fixture: made-up figure,road,true"
    config = (tmp_path / "net" / "config.csv").read_text().splitlines()
    assert config[1].startswith("tiny,km,km,EPSG:4326")
    uses = (tmp_path / "net" / "use_definition.csv").read_text().splitlines()
    assert [u.split(",")[0] for u in uses[1:]] == ["rail_1520", "rail_1435", "road", "ferry", "sea"]


def test_tiny_round_trip(tmp_path: Path) -> None:
    net = tiny_network()
    write_gmns(net, tmp_path / "net")
    assert_same_network(net, read_gmns(tmp_path / "net"))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(network=networks())
def test_round_trip_hypothesis(tmp_path: Path, network: Network) -> None:
    folder = tmp_path / "net"
    write_gmns(network, folder)  # replaces the previous example's folder
    assert_same_network(network, read_gmns(folder))


def _third_party(tmp_path: Path, link_rows: str, *, config: str | None = None) -> Path:
    files = {
        "node.csv": "node_id,x_coord,y_coord\n001,50,40\n002,51,40\n3,52,41\n",
        "link.csv": link_rows,
    }
    if config is not None:
        files["config.csv"] = config
    return write_files(tmp_path / "third", files)


def test_text_ids_stay_text_and_extra_columns_kept(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path,
        "link_id,from_node_id,to_node_id,length,mode,lanes,road_ref\n07,001,002,1.5,road,2,M39\n",
    )
    net = read_gmns(folder)
    assert net.places["place_id"].tolist() == ["001", "002", "3"]
    assert net.links.loc[0, "link_id"] == "07"
    assert net.links.loc[0, "lanes"] == 2.0
    assert net.links.loc[0, "road_ref"] == "M39"
    assert net.places.loc[0, "lon"] == 50.0


@pytest.mark.parametrize(
    ("unit", "km"),
    [("km", 2.0), ("m", 0.002), ("meters", 0.002), ("mi", 2 * 1.609344), ("ft", 2 * 0.0003048)],
)
def test_length_units(tmp_path: Path, unit: str, km: float) -> None:
    folder = _third_party(
        tmp_path,
        "link_id,from_node_id,to_node_id,length,mode\n1,001,002,2,road\n",
        config=f"dataset_name,long_length\nx,{unit}\n",
    )
    assert read_gmns(folder).links.loc[0, "length_km"] == pytest.approx(km, rel=1e-15)


def test_length_units_column_name_of_data_model(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path,
        "link_id,from_node_id,to_node_id,length,mode\n1,001,002,2,road\n",
        config="length_units\nm\n",
    )
    assert read_gmns(folder).links.loc[0, "length_km"] == pytest.approx(0.002)


def test_no_config_means_km_and_says_so(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path, "link_id,from_node_id,to_node_id,length,mode\n1,001,002,2,road\n"
    )
    net = read_gmns(folder)
    assert net.links.loc[0, "length_km"] == 2.0
    assert "km" in net.metadata["notes"][0]


def test_undirected_link_becomes_two(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path,
        "link_id,from_node_id,to_node_id,directed,length,mode\n"
        "a,001,002,false,1,road\nb,002,3,true,2,road\nc,3,001,,3,road\n",
    )
    links = read_gmns(folder).links
    assert links["link_id"].tolist() == ["a", "a_r", "b", "c"]
    assert links["from_id"].tolist() == ["001", "002", "002", "3"]
    assert links["to_id"].tolist() == ["002", "001", "3", "001"]
    assert links["length_km"].tolist() == [1.0, 1.0, 2.0, 3.0]
    assert "directed" not in links.columns


def test_allowed_uses_mapped_to_modes(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path,
        "link_id,from_node_id,to_node_id,length,allowed_uses\n"
        '1,001,002,1,auto\n2,002,3,1,"truck,auto"\n3,3,001,1,rail\n4,001,3,1,ship\n',
    )
    net = read_gmns(folder)
    assert net.links["mode"].tolist() == ["road", "road", "rail", "sea"]
    assert net.links["allowed_uses"].tolist() == ["auto", "truck,auto", "rail", "ship"]
    with pytest.raises(NetworkValidationError) as info:
        validate(net)
    [problem] = info.value.problems
    assert (problem.row_id, problem.column) == ("3", "mode")
    assert "unknown mode 'rail'" in problem.message


def test_clashing_extra_column_round_trips(tmp_path: Path) -> None:
    net = tiny_network()
    links = net.links.copy()
    links["length"] = [1.0, 2.0, 3.0, 4.0]  # e.g. TNTP length in miles, beside length_km
    links["directed"] = ["x", "y", "z", "w"]
    net = net.replace(links=links)
    write_gmns(net, tmp_path / "net")
    header = (tmp_path / "net" / "link.csv").read_text().splitlines()[0].split(",")
    assert "length_orig" in header
    assert "directed_orig" in header
    assert_same_network(net, read_gmns(tmp_path / "net"))


def test_parameters_round_trip_with_sources(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "mode": ["road", "sea"],
            "speed_kmh": [60.0, math.nan],
            "speed_kmh_source": ["made-up test value", ""],
        }
    )
    net = tiny_network().replace(parameters={"mode_speeds": table})
    write_gmns(net, tmp_path / "net")
    assert (tmp_path / "net" / "parameters" / "mode_speeds.csv").is_file()
    back = read_gmns(tmp_path / "net")
    pd.testing.assert_frame_equal(back.parameters["mode_speeds"], table)


def test_bom_is_accepted(tmp_path: Path) -> None:
    folder = _third_party(
        tmp_path, "link_id,from_node_id,to_node_id,length,mode\n1,001,002,2,road\n"
    )
    node = folder / "node.csv"
    node.write_bytes(b"\xef\xbb\xbf" + node.read_bytes())
    assert read_network(folder).places["place_id"].tolist() == ["001", "002", "3"]


def test_write_refuses_folder_with_other_files(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="holds other files"):
        write_gmns(tiny_network(), target)
    assert (target / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_write_replaces_previous_network(tmp_path: Path) -> None:
    target = tmp_path / "net"
    write_gmns(tiny_network(), target)
    smaller = tiny_network().without_links(["AD"])
    write_gmns(smaller, target)
    assert read_gmns(target).n_links == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net"]


def test_failed_write_leaves_old_folder_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "net"
    write_gmns(tiny_network(), target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    calls = []

    def failing(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        Path(path).write_text(text)

    monkeypatch.setattr(gmns_module, "_write_file", failing)
    with pytest.raises(InputError, match="No space left on device"):
        write_gmns(tiny_network().without_links(["AD"]), target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net"]


def test_bad_parameter_name_rejected(tmp_path: Path) -> None:
    net = tiny_network().replace(parameters={"../evil": pd.DataFrame({"a": [1.0]})})
    with pytest.raises(InputError, match="parameter table name"):
        write_gmns(net, tmp_path / "net")
    assert not (tmp_path / "net").exists()


def test_file_instead_of_folder(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("hello")
    with pytest.raises(FormatError, match="folder"):
        read_gmns(f)


def test_read_network_accepts_node_csv_path(tmp_path: Path) -> None:
    write_gmns(tiny_network(), tmp_path / "net")
    assert read_network(tmp_path / "net" / "node.csv").n_places == 4
