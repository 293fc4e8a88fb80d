from __future__ import annotations

import corridor


def test_all_names_exist_and_are_sorted() -> None:
    for name in corridor.__all__:
        assert hasattr(corridor, name), name
    assert corridor.__all__ == sorted(corridor.__all__)


def test_public_callables_are_exported() -> None:
    public = {n for n in dir(corridor) if not n.startswith("_")}
    modules = {"errors", "network", "routing", "testing", "cli"}
    exported = set(corridor.__all__)
    missing = {
        n for n in public - exported - modules if not n.islower() or callable(getattr(corridor, n))
    }
    assert not missing, f"public but not in __all__: {sorted(missing)}"
