# ruff: noqa: E501 - the cases are data: long literal documents read better unbroken
"""Write the hostile-input corpus: one file per case, and cases.toml describing each.

Run it from the repository root (``python tests/data/bad/make_cases.py``) after
changing a case here; the files and the manifest it writes are committed, so
the corpus can be read (and a failing case opened) without running anything.

Each case is one entry of ``cases.toml``: the file name (the key), the command
line (``args``; ``{file}`` is the case's file, ``{out}`` an output path in the
same folder), the exit code expected (``exit``), a phrase the output must hold
(``says``: stderr for a bad case, stdout or the written file for a valid one),
optionally a phrase it must not hold (``lacks``) and a special set-up
(``setup``: a FIFO, a device node, a symlink, ... made by the test itself).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CASES: list[tuple[str, dict[str, object]]] = []


def case(name: str, content: Any, args: str, exit: int, says: str, **extra: object) -> None:
    """Record one case; write its file unless ``content`` is None (a set-up makes it)."""
    if any(n == name for n, _ in CASES):
        raise SystemExit(f"two cases named {name}")
    if content is not None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)
    CASES.append((name, {"args": args, "exit": exit, "says": says, **extra}))


HEAD = 'format_version: "1.0"\nid: t\ntitle: T\n'
NODES = (
    "nodes:\n"
    "  - {id: c, kind: context, label: Staff under pressure}\n"
    "  - {id: i, kind: intervention, label: Peer support}\n"
    "  - {id: m, kind: mechanism, label: Feeling heard}\n"
    "  - {id: o, kind: outcome, label: Staying in post}\n"
)
RULES = "rules:\n  - {id: R1, if: [c], with: [i], because: [m], then: [o]}\n"
GOOD = HEAD + NODES + RULES


def theory(nodes: str = NODES, rules: str = RULES, head: str = HEAD) -> str:
    return head + nodes + rules


def node_yaml(**fields: str) -> str:
    """A theory whose first node has the fields given (as YAML flow text)."""
    base = {"id": "c", "kind": "context", "label": "Staff"}
    base.update(fields)
    body = ", ".join(f"{k}: {v}" for k, v in base.items())
    return theory(
        nodes=NODES.replace("{id: c, kind: context, label: Staff under pressure}", "{" + body + "}")
    )


def good_data() -> dict[str, object]:
    return {
        "format_version": "1.0",
        "id": "t",
        "title": "T",
        "nodes": [
            {"id": "c", "kind": "context", "label": "Staff under pressure"},
            {"id": "i", "kind": "intervention", "label": "Peer support"},
            {"id": "m", "kind": "mechanism", "label": "Feeling heard"},
            {"id": "o", "kind": "outcome", "label": "Staying in post"},
        ],
        "rules": [{"id": "R1", "if": ["c"], "with": ["i"], "because": ["m"], "then": ["o"]}],
    }


def js(data: object) -> str:
    return json.dumps(data, indent=1)


def with_node(**fields: object) -> str:
    data = good_data()
    data["nodes"][0].update(fields)  # type: ignore[index]
    return js(data)


SHOW = "show {file}"


def theory_yaml_cases() -> None:
    bad = [
        ("kind-list", node_yaml(kind="[context]"), "kind"),
        ("kind-mapping", node_yaml(kind="{a: 1}"), "kind"),
        ("kind-number", node_yaml(kind="5"), "kind"),
        ("kind-null", node_yaml(kind="null"), "kind"),
        ("kind-unknown", node_yaml(kind="contxt"), "did you mean 'context'"),
        ("kind-bool", node_yaml(kind="true"), "kind"),
        ("id-list", node_yaml(id="[c]"), "id"),
        ("id-mapping", node_yaml(id="{x: 1}"), "id"),
        ("id-number", node_yaml(id="5"), "id"),
        ("id-with-space", node_yaml(id="'a b'"), "id"),
        ("label-list", node_yaml(label="[a, b]"), "label"),
        ("label-mapping", node_yaml(label="{a: b}"), "label"),
        ("label-huge-int", node_yaml(label="1" * 5000), "5,000 characters"),
        ("label-int", node_yaml(label="12345678901234567890"), "label"),
        (
            "format-version-huge-int",
            "format_version: " + "9" * 5000 + "\nid: t\ntitle: T\n",
            "characters",
        ),
        ("id-huge-negative-int", node_yaml(id="-" + "7" * 4500), "characters"),
        ("format-version-float", "format_version: 1.0\nid: t\ntitle: T\n", "quote"),
        ("format-version-int", "format_version: 1\nid: t\ntitle: T\n", "quote"),
        ("format-version-missing", "id: t\ntitle: T\n", "format_version"),
        ("format-version-future", 'format_version: "9.0"\nid: t\ntitle: T\n', "9.0"),
        ("nodes-string", theory(nodes="nodes: lots\n", rules=""), "nodes"),
        ("nodes-mapping", theory(nodes="nodes: {c: context}\n", rules=""), "nodes"),
        ("nodes-of-numbers", theory(nodes="nodes: [1, 2]\n", rules=""), "nodes"),
        ("node-a-list", theory(nodes="nodes:\n  - [c, context]\n", rules=""), "mapping"),
        ("rules-string", theory(rules="rules: R1\n"), "rules"),
        (
            "rule-if-string",
            theory(rules="rules:\n  - {id: R1, if: c, because: [m], then: [o]}\n"),
            "if",
        ),
        (
            "rule-if-nested-list",
            theory(rules="rules:\n  - {id: R1, if: [[c]], because: [m], then: [o]}\n"),
            "if",
        ),
        (
            "rule-if-mapping-item",
            theory(rules="rules:\n  - {id: R1, if: [{c: 1}], because: [m], then: [o]}\n"),
            "if",
        ),
        (
            "rule-because-number",
            theory(rules="rules:\n  - {id: R1, if: [c], because: 5, then: [o]}\n"),
            "because",
        ),
        (
            "rule-dangling-id",
            theory(rules="rules:\n  - {id: R1, if: [c], because: [mm], then: [o]}\n"),
            "did you mean 'm'",
        ),
        (
            "rule-wrong-kind",
            theory(rules="rules:\n  - {id: R1, if: [c], because: [o], then: [o]}\n"),
            "mechanism",
        ),
        (
            "duplicate-node-id",
            theory(nodes=NODES + "  - {id: c, kind: context, label: Again}\n"),
            "c",
        ),
        ("duplicate-key-top", HEAD + "id: u\n" + NODES + RULES, "duplicate key 'id'"),
        (
            "duplicate-key-nodes",
            HEAD + NODES + "nodes:\n  - {id: x, kind: context, label: X}\n" + RULES,
            "duplicate key 'nodes'",
        ),
        (
            "duplicate-key-in-node",
            theory(
                nodes=NODES.replace(
                    "{id: c, kind: context,", "{id: c, kind: context, kind: outcome,"
                )
            ),
            "duplicate key 'kind'",
        ),
        (
            "duplicate-key-block",
            HEAD
            + NODES
            + "rules:\n  - id: R1\n    if: [c]\n    if: [o]\n    because: [m]\n    then: [o]\n",
            "duplicate key 'if'",
        ),
        ("tag-binary", HEAD + "description: !!binary aGVsbG8=\n", "!!binary"),
        ("tag-set", HEAD + "tags: !!set {a, b}\n", "!!set"),
        ("tag-omap", HEAD + "tags: !!omap [a: 1]\n", "!!omap"),
        ("tag-python", HEAD + "description: !!python/object:os.system [ls]\n", "plain data"),
        ("tag-custom", HEAD + "description: !secret x\n", "plain data"),
        ("tag-timestamp", HEAD + "description: !!timestamp 2001-12-14\n", "!!timestamp"),
        (
            "merge-key",
            HEAD + "nodes:\n  - &base {id: c, kind: context, label: C}\n  - <<: *base\n    id: d\n",
            "merge keys",
        ),
        (
            "merge-key-inline",
            HEAD + "nodes:\n  - {<<: {kind: context}, id: c, label: C}\n",
            "merge key",
        ),
        ("alias", HEAD + "description: &d text\nsummary: *d\n", "aliases"),
        (
            "alias-bomb",
            'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n',
            "aliases",
        ),
        ("deep-flow-nesting", "format_version: " + "[" * 20000 + "]" * 20000 + "\n", "nest"),
        ("deep-block-nesting", "format_version:\n  " + "- " * 1200 + "x\n", "nest"),
        ("deep-mapping-flow", "x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "nest"),
        ("empty", "", "empty"),
        ("only-comments", "# nothing here\n# at all\n", "empty"),
        ("top-level-list", "- a\n- b\n", "mapping"),
        ("top-level-scalar", "hello\n", "mapping"),
        ("top-level-null", "null\n", "format_version"),
        ("syntax-unclosed-flow", HEAD + "nodes: [ {id: c\n", "not valid YAML"),
        ("syntax-bad-indent", HEAD + "nodes:\n  - id: c\n   kind: context\n", "not valid YAML"),
        ("syntax-tab-indent", HEAD + "nodes:\n\t- id: c\n", "not valid YAML"),
        ("syntax-two-documents", GOOD + "---\n" + GOOD, "one YAML document"),
        ("syntax-stray-colon", HEAD + "title: a: b\n", "not valid YAML"),
        ("not-utf8", (HEAD + "description: caf\xe9\n").encode("latin-1"), "UTF-8"),
        ("utf16-no-bom", GOOD.encode("utf-16-le"), "UTF-8"),
        ("nul-bytes", HEAD.encode() + b"description: a\x00b\n", "not valid YAML"),
        ("control-char", HEAD + "description: a\x07b\n", "not valid YAML"),
        ("unknown-top-key", HEAD + "colour: red\n", "colour"),
        ("unknown-node-key", node_yaml(colour="red"), "colour"),
        ("float-nan-id", node_yaml(id=".nan"), "id"),
        ("float-inf-label", node_yaml(label=".inf"), "label"),
        ("huge-float-exponent", node_yaml(label="1.0e+99999"), "label"),
        (
            "long-number-in-list",
            theory(
                rules="rules:\n  - {id: R1, if: [" + "3" * 4400 + "], because: [m], then: [o]}\n"
            ),
            "characters",
        ),
        ("huge-hex-int", node_yaml(label="0x" + "f" * 5000), "characters"),
        ("huge-octal-int", node_yaml(label="0" + "7" * 5000), "characters"),
        ("huge-sexagesimal", node_yaml(label="1" + ":59" * 3000), "characters"),
        ("id-of-20000-chars", node_yaml(id="a" * 20000), "id"),
        ("bad-yaml-directive", "%YAML 9.9\n---\n" + GOOD, "not valid YAML"),
        ("bom-then-bad", ("\ufeff" + HEAD + "nodes: [\n").encode("utf-8"), "not valid YAML"),
    ]
    for name, text, says in bad:
        case(f"theory-{name}.yaml", text, SHOW, 2, says)
    valid = [
        ("bom", ("\ufeff" + GOOD).encode("utf-8"), "T (t)"),
        ("crlf", GOOD.replace("\n", "\r\n"), "T (t)"),
        (
            "unicode-labels",
            GOOD.replace("Feeling heard", "Être entendu · 聞いてもらう"),
            "聞いてもらう",
        ),
        ("label-no", GOOD.replace("Feeling heard", "No"), "rules"),
        ("label-date", GOOD.replace("label: Feeling heard", "label: 2021-05-01"), "rules"),
        ("explicit-str-tag", GOOD.replace("label: Feeling heard", "label: !!str 123"), "rules"),
        ("comments-everywhere", "# a theory\n" + GOOD.replace("\n", "  # note\n"), "rules"),
        ("flow-style", js(good_data()), "rules"),
        ("empty-lists", HEAD + "nodes: []\nrules: []\n", "0 rules"),
        ("long-label", GOOD.replace("Feeling heard", "heard " * 3400), "rules"),
    ]
    for name, text, says in valid:
        case(
            f"ok-theory-{name}.yaml",
            text,
            "statements {file}" if name == "unicode-labels" else SHOW,
            0,
            says,
        )


def theory_json_cases() -> None:
    good = js(good_data())
    bad = [
        (
            "trailing-comma",
            good.replace('"T"', '"T",').replace('"T",\n "nodes"', '"T",,\n "nodes"'),
            "not valid JSON",
        ),
        (
            "trailing-comma-object",
            '{"format_version": "1.0", "id": "t", "title": "T",}',
            "trailing comma",
        ),
        (
            "trailing-comma-array",
            '{"format_version": "1.0", "id": "t", "title": "T", "tags": ["a",]}',
            "trailing comma",
        ),
        (
            "duplicate-key-top",
            good.replace('"id": "t",', '"id": "t",\n "id": "u",'),
            "duplicate key 'id'",
        ),
        ("duplicate-key-nodes", good[:-2] + ',\n "nodes": []\n}', "duplicate key 'nodes'"),
        (
            "duplicate-key-in-node",
            good.replace('"kind": "context",', '"kind": "context", "kind": "outcome",'),
            "duplicate key 'kind'",
        ),
        ("kind-list", with_node(kind=["context"]), "kind"),
        ("kind-object", with_node(kind={"a": 1}), "kind"),
        ("kind-number", with_node(kind=5), "kind"),
        ("id-list", with_node(id=["c"]), "id"),
        ("id-object", with_node(id={"x": 1}), "id"),
        ("label-number", with_node(label=5), "label"),
        ("huge-int", '{"format_version": ' + "1" * 5000 + "}", "characters"),
        (
            "huge-int-label",
            with_node(label=0).replace('"label": 0', '"label": ' + "2" * 5000),
            "characters",
        ),
        ("huge-float", with_node(label=0).replace('"label": 0', '"label": 1e99999'), "label"),
        ("nan-literal", with_node(label=0).replace('"label": 0', '"label": NaN'), "not valid JSON"),
        (
            "infinity-literal",
            with_node(label=0).replace('"label": 0', '"label": -Infinity'),
            "not valid JSON",
        ),
        ("deep-array", "[" * 100000 + "]" * 100000, "nest"),
        ("deep-object", '{"a": ' * 5000 + "1" + "}" * 5000, "nest"),
        ("deep-in-field", good.replace('"T"', "[" * 3000 + "]" * 3000), "nest"),
        ("top-level-array", "[1, 2]", "mapping"),
        ("top-level-string", '"theory"', "mapping"),
        ("top-level-null", "null", "format_version"),
        ("empty", "", "empty"),
        ("whitespace-only", "  \n\n ", "empty"),
        ("single-quotes", "{'format_version': '1.0'}", "not valid JSON"),
        ("comment", "// theory\n" + good, "not valid JSON"),
        ("unclosed", good[:-3], "not valid JSON"),
        ("bad-escape", good.replace('"T"', '"\\q"'), "not valid JSON"),
        ("lone-surrogate", good.replace('"Peer support"', '"\\ud800"'), "surrogate"),
        ("control-char-in-string", good.replace('"Peer support"', '"a\tb"'), "not valid JSON"),
        ("not-utf8", good.replace("Peer", "P\xe9er").encode("latin-1"), "UTF-8"),
        ("utf16", good.encode("utf-16"), "UTF-8"),
        ("nul-byte", good.encode() + b"\x00", "not valid JSON"),
        ("extra-data", good + good, "not valid JSON"),
        ("unknown-key", with_node(colour="red"), "colour"),
        ("format-version-number", good.replace('"1.0"', "1.0", 1), "quote"),
        (
            "long-number",
            with_node(label=0).replace('"label": 0', '"label": 0.' + "5" * 6000),
            "characters",
        ),
        ("nodes-string", js({**good_data(), "nodes": "lots"}), "nodes"),
        (
            "rule-if-number",
            js({**good_data(), "rules": [{"id": "R1", "if": 3, "because": ["m"], "then": ["o"]}]}),
            "if",
        ),
    ]
    for name, text, says in bad:
        case(f"theory-{name}.json", text, SHOW, 2, says)
    valid = [
        ("bom", ("\ufeff" + good).encode("utf-8"), "T (t)"),
        ("minified", json.dumps(good_data(), separators=(",", ":")), "rules"),
        ("unicode-escapes", good.replace("Peer support", "\\u00c9quipe"), "équipe"),
    ]
    for name, text, says in valid:
        case(
            f"ok-theory-{name}.json",
            text,
            "statements {file}" if "unicode" in name else SHOW,
            0,
            says,
        )


def import_cases(exports: dict[str, str]) -> None:
    graphml = exports["graphml"]
    g_bad = [
        ("not-xml", "hello", "GraphML"),
        ("empty", "", "GraphML"),
        ("truncated", graphml[: len(graphml) // 2], "GraphML"),
        (
            "no-graph",
            '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"></graphml>',
            "GraphML",
        ),
        (
            "undirected",
            graphml.replace('edgedefault="directed"', 'edgedefault="undirected"'),
            "directed",
        ),
        (
            "billion-laughs",
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"><node id="&lol3;"/></graph></graphml>',
            "DTD",
        ),
        (
            "external-entity",
            '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"><node id="&x;"/></graph></graphml>',
            "DTD",
        ),
        (
            "position-text",
            graphml.replace(
                '<key id="d25" for="edge" attr.name="position" attr.type="long" />',
                '<key id="d25" for="edge" attr.name="position" attr.type="string" />',
            ).replace('<data key="d25">0</data>', '<data key="d25">first</data>', 1),
            "position",
        ),
        (
            "wrong-typed-value",
            graphml.replace('<data key="d25">0</data>', '<data key="d25">zero</data>', 1),
            "d25",
        ),
        (
            "bad-json-attribute",
            graphml.replace('<data key="d10">[', '<data key="d10">[[', 1),
            "tags",
        ),
        (
            "unknown-slot",
            graphml.replace('<data key="d24">if</data>', '<data key="d24">iff</data>', 1),
            "slot",
        ),
        (
            "deep-xml",
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            + "<a>" * 5000
            + "</a>" * 5000
            + "</graphml>",
            "GraphML",
        ),
        (
            "latin1-undeclared",
            graphml.replace("Lack of prior", "Caf\xe9 prior").encode("latin-1"),
            "GraphML",
        ),
        (
            "hyperedge",
            graphml.replace("</graph>", '<hyperedge><endpoint node="R1"/></hyperedge></graph>'),
            "GraphML",
        ),
    ]
    for name, text, says in g_bad:
        case(f"graphml-{name}.graphml", text, "import -F graphml {file}", 2, says)
    latin = graphml.replace('encoding="utf-8"', 'encoding="ISO-8859-1"').replace(
        "Lack of prior", "Caf\xe9 prior"
    )
    if "ISO-8859-1" not in latin:
        latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + latin
    case(
        "ok-graphml-latin1.graphml",
        latin.encode("latin-1"),
        "import -F graphml {file}",
        0,
        "Café prior",
    )
    case(
        "ok-graphml-utf16.graphml",
        graphml.replace("Lack of prior", "Cafè prior").encode("utf-16"),
        "import -F graphml {file}",
        0,
        "Cafè prior",
    )
    case(
        "ok-graphml-utf8.graphml",
        graphml,
        "import -F graphml {file} -o {out}.yaml",
        0,
        "lack-of-experience",
    )

    nl = json.loads(exports["nodelink"])

    def variant(**changes: object) -> str:
        return js({**nl, **changes})

    first = dict(nl["nodes"][0])
    n_bad = [
        ("graph-string", variant(graph="theory"), "graph"),
        ("graph-list", variant(graph=[1, 2]), "graph"),
        ("nodes-object", variant(nodes={"a": 1}), "nodes"),
        ("node-a-number", variant(nodes=[5, *nl["nodes"][1:]]), "node"),
        ("node-a-string", variant(nodes=["c"]), "node"),
        (
            "node-no-id",
            variant(nodes=[{k: v for k, v in first.items() if k != "id"}, *nl["nodes"][1:]]),
            "id",
        ),
        ("node-id-list", variant(nodes=[{**first, "id": ["x"]}, *nl["nodes"][1:]]), "id"),
        (
            "node-kind-list",
            variant(nodes=[{**first, "kind": ["context"]}, *nl["nodes"][1:]]),
            "kind",
        ),
        (
            "node-kind-object",
            variant(nodes=[{**first, "kind": {"a": 1}}, *nl["nodes"][1:]]),
            "kind",
        ),
        (
            "edge-position-text",
            variant(edges=[{**nl["edges"][0], "position": "first"}, *nl["edges"][1:]]),
            "position",
        ),
        (
            "edge-position-list",
            variant(edges=[{**nl["edges"][0], "position": [1]}, *nl["edges"][1:]]),
            "position",
        ),
        (
            "edge-no-source",
            variant(edges=[{k: v for k, v in nl["edges"][0].items() if k != "source"}]),
            "source",
        ),
        ("edge-a-number", variant(edges=[7]), "edge"),
        ("edges-string", variant(edges="none"), "edges"),
        (
            "edge-slot-list",
            variant(edges=[{**nl["edges"][0], "slot": ["if"]}, *nl["edges"][1:]]),
            "slot",
        ),
        ("undirected", variant(directed=False), "directed"),
        ("multigraph", variant(multigraph=True), "multigraph"),
        ("not-json", "nodes: []", "not valid JSON"),
        ("top-level-list", "[]", "object"),
        (
            "duplicate-key",
            exports["nodelink"].replace(
                '"directed": true,', '"directed": true,\n  "directed": false,', 1
            ),
            "duplicate key 'directed'",
        ),
        ("deep", "[" * 50000 + "]" * 50000, "nest"),
        ("huge-int", '{"nodes": [], "graph": {"x": ' + "9" * 5000 + "}}", "characters"),
        ("label-number", variant(nodes=[{**first, "label": 5}, *nl["nodes"][1:]]), "label"),
        ("tags-not-json", variant(nodes=[{**first, "tags": "[oops"}, *nl["nodes"][1:]]), "tags"),
    ]
    for name, text, says in n_bad:
        case(f"nodelink-{name}.json", text, "import -F nodelink {file}", 2, says)
    case(
        "ok-nodelink-links-key.json",
        js({**{k: v for k, v in nl.items() if k != "edges"}, "links": nl["edges"]}),
        "import -F nodelink {file}",
        0,
        "lack-of-experience",
    )

    kumu = json.loads(exports["kumu"])
    el = dict(kumu["elements"][0])

    def kv(**changes: object) -> str:
        return js({**kumu, **changes})

    k_bad = [
        ("elements-object", kv(elements={"a": 1}), "elements"),
        ("element-a-number", kv(elements=[3]), "element 1"),
        ("element-label-list", kv(elements=[{**el, "label": ["x"]}]), "label"),
        ("element-type-list", kv(elements=[{**el, "type": ["Context"]}]), "type"),
        ("element-type-unknown", kv(elements=[{**el, "type": "Thing"}]), "Thing"),
        ("connection-a-string", kv(connections=["x"]), "connection 1"),
        ("connections-object", kv(connections={"a": 1}), "connections"),
        (
            "connection-from-list",
            kv(connections=[{**kumu["connections"][0], "from": ["x"]}]),
            "connection 1",
        ),
        (
            "connection-position-text",
            kv(
                connections=[
                    {**kumu["connections"][0], "position": "first"},
                    *kumu["connections"][1:],
                ]
            ),
            "position",
        ),
        (
            "connection-undirected",
            kv(connections=[{**kumu["connections"][0], "direction": "mutual"}]),
            "directed",
        ),
        (
            "connection-type-list",
            kv(connections=[{**kumu["connections"][0], "type": ["if"]}]),
            "type",
        ),
        ("not-json", "elements:", "not valid JSON"),
        ("duplicate-key", '{"elements": [], "elements": []}', "duplicate key 'elements'"),
        ("deep", '{"elements": ' + "[" * 50000 + "]" * 50000 + "}", "nest"),
        ("tags-number", kv(elements=[{**el, "tags": 5}, *kumu["elements"][1:]]), "tags"),
        (
            "cimo-data-broken-json",
            kv(elements=[{**el, "cimo data": "{oops"}, *kumu["elements"][1:]]),
            "'cimo data' is not JSON",
        ),
        (
            "cimo-data-deep",
            kv(elements=[{**el, "cimo data": "[" * 50000}, *kumu["elements"][1:]]),
            "'cimo data' is not JSON",
        ),
        (
            "description-a-list",
            kv(elements=[{**el, "description": ["x"]}, *kumu["elements"][1:]]),
            "description",
        ),
    ]
    for name, text, says in k_bad:
        case(f"kumu-{name}.json", text, "import -F kumu {file}", 2, says)
    case(
        "ok-kumu-element-id-number.json",
        kv(elements=[{**el, "id": 5}], connections=[]),
        "import -F kumu {file}",
        0,
        "Lack-of-prior",
    )
    case("ok-kumu-empty.json", '{"elements": []}', "import -F kumu {file}", 0, "format_version")

    qdc = exports["qdc"]
    q_bad = [
        ("not-xml", "hello", "not well-formed"),
        ("empty", "", "not well-formed"),
        ("wrong-root", '<?xml version="1.0"?><Project/>', "root element"),
        ("no-codes", '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "Codes"),
        ("bad-group", qdc.replace('name="Contexts"', 'name="Things"', 1), "Things"),
        (
            "nameless-code",
            qdc.replace(
                'name="Lack of prior personal or professional experience and training"',
                'name=" "',
                1,
            ),
            "no name",
        ),
        (
            "billion-laughs",
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
            "unsafe XML",
        ),
        (
            "external-entity",
            '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="&x;"/></Codes></CodeBook>',
            "unsafe XML",
        ),
        ("truncated", qdc[: len(qdc) // 2], "not well-formed"),
        ("utf16-undeclared-bomless", qdc.encode("utf-16-le"), "not well-formed"),
    ]
    for name, text, says in q_bad:
        case(f"qdc-{name}.qdc", text, "import -F qdc {file}", 2, says)
    case(
        "ok-qdc-utf16.qdc",
        qdc.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
        "import -F qdc {file}",
        0,
        "lack-of-experience",
    )
    deep = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="Contexts">'
        + '<Code name="x">' * 3000
        + "</Code>" * 3000
        + "</Code></Codes></CodeBook>"
    )
    case("ok-qdc-deep.qdc", deep, "import -F qdc {file}", 0, "x-2999")
    case(
        "ok-qdc-id-clash.qdc",
        qdc.replace("cimo id: lack-of-experience", "cimo id: bad id!", 1),
        "import -F qdc {file}",
        0,
        "Lack of prior",
    )
    # found by the fuzzer: an encoding Python does not know; a Kumu element with a "kind"
    case(
        "qdc-unknown-encoding.qdc",
        qdc.replace('encoding="UTF-8"', 'encoding="TF-8"'),
        "import -F qdc {file}",
        2,
        "encoding",
    )
    case(
        "graphml-unknown-encoding.graphml",
        '<?xml version="1.0" encoding="TF-8"?>\n' + graphml,
        "import -F graphml {file}",
        2,
        "encoding",
    )
    case(
        "kumu-element-kind.json",
        kv(elements=[{**el, "kind": None}]),
        "import -F kumu {file}",
        2,
        '"kind"',
    )
    case(
        "kumu-connections-true.json",
        kv(connections=True),
        "import -F kumu {file}",
        2,
        '"connections" must be a list',
    )
    case("graphml-as-qdc.graphml", graphml, "import -F qdc {file}", 2, "root element")
    case(
        "import-missing-file.graphml",
        None,
        "import -F graphml {file}",
        2,
        "no such file",
        setup="absent",
    )
    case("import-fifo.json", None, "import -F kumu {file}", 2, "not a regular file", setup="fifo")
    case("import-folder.qdc", None, "import -F qdc {file}", 2, "folder", setup="folder")


def more_import_cases(exports: dict[str, str]) -> None:
    """graphology and Cytoscape.js JSON, Causal Map's links table."""
    for fmt in ("graphology", "cytoscape"):
        doc = json.loads(exports[fmt])
        top = next(iter(doc))
        bad = [
            ("not-json", "{nodes", "not valid JSON"),
            ("top-level-list", "[]", fmt if fmt == "graphology" else "Cytoscape"),
            (
                "duplicate-key",
                exports[fmt].replace("{", '{"x": 1, "x": 2, ', 1),
                "duplicate key 'x'",
            ),
            ("deep", "[" * 50000 + "]" * 50000, "nest"),
            ("huge-int", '{"x": ' + "7" * 5000 + "}", "characters"),
            (f"{top}-a-number", js({**doc, top: 5}), top),
        ]
        for name, text, says in bad:
            case(f"{fmt}-{name}.json", text, f"import -F {fmt} {{file}}", 2, says)
        case(f"ok-{fmt}.json", exports[fmt], f"import -F {fmt} {{file}}", 0, "lack-of-experience")
    # found by the fuzzer: "elements.nodes" that is not a list; an element group not a string
    case(
        "cytoscape-nodes-a-number.json",
        '{"elements": {"nodes": 5}}',
        "import -F cytoscape {file}",
        2,
        "each a list",
    )
    case(
        "cytoscape-group-a-list.json",
        '{"elements": [{"group": ["x"], "data": {}}]}',
        "import -F cytoscape {file}",
        2,
        "group",
    )
    cm = exports["causalmap"]
    bad_cm = [
        ("not-utf8", cm.replace("Lack", "L\xe4ck").encode("latin-1"), "UTF-8"),
        ("no-columns", "a,b\n1,2\n", "cause"),
        ("bad-quotes", cm.split("\n", 1)[0] + '\n"unclosed,x\n', "row 2"),
        ("empty", "", "cause"),
        ("huge-field", cm.split("\n", 1)[0] + "\n" + "x" * 140000 + ",y\n", "CSV"),
    ]
    for name, content, says in bad_cm:
        case(f"causalmap-{name}.csv", content, "import -F causalmap {file}", 2, says)
    case("ok-causalmap.csv", cm, "import -F causalmap {file}", 0, "lack-of-experience")


def csv_cases() -> None:
    head = "Context,Mechanism,Outcome\n"
    bad = [
        ("not-utf8", (head + "Caf\xe9,M,O\n").encode("latin-1"), "UTF-8"),
        ("empty", "", "empty"),
        ("only-headers-unknown", "Foo,Bar\n1,2\n", "Foo"),
        ("stray-value", head + "c,m,o,extra\n", "column D"),
        ("bad-quotes", head + 'c,"m,o\n"x\n', "CSV"),
        ("huge-cell", head + "c," + "m" * 40000 + ",o\n", "32,767"),
        ("nul-bytes", (head + "c,m\x00,o\n").encode(), "NUL"),
        ("repeated-id", "ID,Context,Mechanism,Outcome\n1,c,m,o\n1,c2,m2,o2\n", "already used"),
        ("two-columns-one-role", "Context,Context,Mechanism,Outcome\nc,d,m,o\n", "Context"),
        ("links-to-nowhere", "ID,Context,Mechanism,Outcome,Links\n1,c,m,o,9\n", "9"),
    ]
    for name, text, says in bad:
        case(f"table-{name}.csv", text, "import-table {file}", 2, says)
    case("table-sheet-on-csv.csv", head + "c,m,o\n", "import-table {file} --sheet S", 2, "--sheet")
    case("table-fifo.csv", None, "import-table {file}", 2, "not a regular file", setup="fifo")
    case("table-missing.csv", None, "import-table {file}", 2, "no such file", setup="absent")
    case("table-xls.xls", b"\xd0\xcf\x11\xe0", "import-table {file}", 2, ".xlsx")
    ok = [
        (
            "crlf",
            (head + "c,m,o\n").replace("\n", "\r\n"),
            "Staying" if False else "format_version",
        ),
        ("semicolons", "Context;Mechanism;Outcome\nc;m;o\n", "format_version"),
        ("bom", ("\ufeff" + head + "c,m,o\n").encode(), "format_version"),
        ("formula-looking-text", head + "=1+1,m,o\n", "=1+1"),
        ("no-outcome", "Context,Mechanism\nc,m\n", "format_version"),
        ("html-label", head + "<script>alert(1)</script>,m,o\n", "<script>"),
    ]
    for name, text, says in ok:
        case(f"ok-table-{name}.csv", text, "import-table {file}", 0, says)


def _xlsx(
    sheets: dict[str, str] | None,
    *,
    workbook_sheets: list[str] | None = None,
    shared: list[str] | None = None,
    drop: tuple[str, ...] = (),
    truncate: str | None = None,
) -> bytes:
    """A hand-made workbook: ``sheets`` maps sheet XML file names to their <sheetData> body."""
    sheets = sheets or {}
    names = (
        workbook_sheets
        if workbook_sheets is not None
        else [f"Sheet{k + 1}" for k in range(len(sheets))]
    )
    files: dict[str, str] = {}
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/{f}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for f in sheets
    )
    files["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + overrides
        + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    files["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{n}" sheetId="{k + 1}" r:id="rId{k + 1}"/>' for k, n in enumerate(names)
    )
    files["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheet_list}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/{f}"/>'
        for k, f in enumerate(sheets)
    )
    n = len(sheets)
    rels += f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    files["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + rels
        + "</Relationships>"
    )
    strings = shared or []
    files["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    )
    for f, body in sheets.items():
        files[f"xl/worksheets/{f}"] = (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + body
            + "</worksheet>"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f, text in files.items():
            if f in drop:
                continue
            if f == truncate:
                text = text[: len(text) // 2]
            z.writestr(f, text)
    return buf.getvalue()


def _row(r: int, *cells: str) -> str:
    out = "".join(
        f'<c r="{chr(65 + k)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
        for k, v in enumerate(cells)
    )
    return f'<row r="{r}">{out}</row>'


TABLE = (
    "<sheetData>"
    + _row(1, "Context", "Mechanism", "Outcome")
    + _row(2, "c", "m", "o")
    + "</sheetData>"
)


def xlsx_cases() -> None:
    bomb = '<dimension ref="A1:XFD1048576"/>' + TABLE
    formula = (
        "<sheetData>"
        + _row(1, "Context", "Mechanism", "Outcome")
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>c</t></is></c><c r="B2"><f>CONCAT("m","x")</f></c>'
        '<c r="C2" t="inlineStr"><is><t>o</t></is></c></row></sheetData>'
    )
    merged = (
        "<sheetData>"
        + _row(1, "Context", "Mechanism", "Outcome")
        + _row(2, "c", "m", "o")
        + '<row r="3"><c r="B3" t="inlineStr"><is><t>m2</t></is></c><c r="C3" t="inlineStr"><is><t>o2</t></is></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>'
    )
    huge = (
        "<sheetData>"
        + _row(1, "Context", "Mechanism", "Outcome")
        + _row(2, "c", "m" * 40000, "o")
        + "</sheetData>"
    )
    far = (
        "<sheetData>"
        + _row(1, "Context", "Mechanism", "Outcome")
        + _row(2, "c", "m", "o")
        + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    bad = [
        (
            "truncated-sheet",
            _xlsx({"sheet1.xml": TABLE}, truncate="xl/worksheets/sheet1.xml"),
            "not a readable .xlsx",
        ),
        (
            "missing-sheet-xml",
            _xlsx({"sheet1.xml": TABLE}, drop=("xl/worksheets/sheet1.xml",)),
            "no sheets",
        ),
        ("no-sheets", _xlsx({}, workbook_sheets=[]), "no sheets"),
        (
            "missing-workbook",
            _xlsx({"sheet1.xml": TABLE}, drop=("xl/workbook.xml",)),
            "not a readable .xlsx",
        ),
        ("not-a-zip", b"PK\x03\x04 this is not really a zip", "not a readable .xlsx"),
        ("text-file", b"Context,Mechanism,Outcome\n", "not a readable .xlsx"),
        ("formula-no-value", _xlsx({"sheet1.xml": formula}), "B2"),
        ("merged-cells", _xlsx({"sheet1.xml": merged}), "A2:A3"),
        ("huge-cell", _xlsx({"sheet1.xml": huge}), "32,767"),
        ("far-cell", _xlsx({"sheet1.xml": far}), "XFD"),
        (
            "shared-string-missing",
            _xlsx(
                {
                    "sheet1.xml": '<sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData>'
                }
            ),
            "not a readable .xlsx",
        ),
        ("billion-laughs", _xlsx({"sheet1.xml": TABLE}).replace(b"", b""), "XXX"),
    ]
    bad.pop()  # placeholder removed below
    zipbomb = io.BytesIO()
    with zipfile.ZipFile(zipbomb, "w", zipfile.ZIP_DEFLATED) as z:
        src = _xlsx({"sheet1.xml": TABLE})
        with zipfile.ZipFile(io.BytesIO(src)) as s:
            for info in s.infolist():
                text = s.read(info)
                if info.filename == "xl/sharedStrings.xml":
                    text = text.replace(b"</sst>", b"<!--" + b" " * (300 * 2**20) + b"--></sst>")
                z.writestr(info.filename, text)
    bad.append(("zip-bomb", zipbomb.getvalue(), "uncompressed"))
    for name, data, says in bad:
        case(f"xlsx-{name}.xlsx", data, "import-table {file}", 2, says)
    case(
        "xlsx-unknown-sheet.xlsx",
        _xlsx({"sheet1.xml": TABLE}),
        "import-table {file} --sheet Other",
        2,
        "no sheet 'Other'",
    )
    case(
        "ok-xlsx-dimension-bomb.xlsx",
        _xlsx({"sheet1.xml": bomb}),
        "import-table {file}",
        0,
        "format_version",
    )
    case(
        "ok-xlsx-plain.xlsx",
        _xlsx({"sheet1.xml": TABLE}),
        "import-table {file}",
        0,
        "format_version",
    )


def cli_cases() -> None:
    case("cli-good.yaml", GOOD, "statements {file}", 0, "IF staff under pressure")
    g = "cli-theory.yaml"
    case(g, GOOD, SHOW, 0, "rules")
    opts = [
        ("limit-negative", "query {file} for-whom o --limit -1", "--limit"),
        ("limit-zero", "query {file} pathways --from c --to o --limit 0", "--limit"),
        (
            "max-length-negative",
            "query {file} pathways --from c --to o --max-length -3",
            "--max-length",
        ),
        ("depth-negative", "render {file} --focus R1 --depth -1 -f dot", "--depth"),
        ("bad-id-option", "import-table {file} --id 'bad id'", "--id"),
        ("timeout-zero", "render {file} -f dot --timeout 0", "--timeout"),
        ("unknown-example", "show wrk-focused-group-cbt", "did you mean"),
        ("unknown-outcome", "query {file} explain oo", "did you mean 'o'"),
        ("focus-unknown", "render {file} -f dot --focus zz", "zz"),
        ("output-is-input", "statements {file} -o {file}", "is also an input"),
        ("convert-onto-itself", "convert {file} {file}", "is also an input"),
        ("output-folder", "statements {file} -o .", "folder"),
        ("output-no-folder", "statements {file} -o nowhere/out.txt", "does not exist"),
        ("output-bad-suffix", "convert {file} {out}.txt", ".txt"),
        ("export-table-sheet-slash", "export-table {file} -o {out}.xlsx --sheet a/b", "--sheet"),
        ("export-table-sheet-empty", "export-table {file} -o {out}.xlsx --sheet ''", "--sheet"),
        ("export-table-sheet-long", "export-table {file} -o {out}.xlsx --sheet " + "s" * 32, "31"),
        (
            "export-table-sheet-history",
            "export-table {file} -o {out}.xlsx --sheet History",
            "--sheet",
        ),
        ("export-bad-format", "export {file} --to pdf", "pdf"),
        ("render-bad-format", "render {file} -o {out}.bmp", "bmp"),
        ("import-table-bad-map", "import-table {file} --map 'Nope'", "--map"),
        ("scenario-unknown-context", "scenario {file} --context zz", "zz"),
        ("merge-onto-input", "merge {file} {file} -o {file}", "is also an input"),
        ("check-output-is-input", "check {file} -o {file}", "is also an input"),
    ]
    for name, args, says in opts:
        base = f"cli-{name}.yaml"
        data: str = GOOD
        if name == "bad-id-option":
            base = f"cli-{name}.csv"
            data = "Context,Mechanism,Outcome\nc,m,o\n"
        if name == "import-table-bad-map":
            base = f"cli-{name}.csv"
            data = "Context,Mechanism,Outcome\nc,m,o\n"
        case(base, data, args, 2, says)
    special = [
        ("out-fifo", "statements {file} -o {out}", "not a regular file", "out-fifo"),
        ("out-device", "statements {file} -o {out}", "not a regular file", "out-device"),
        (
            "out-symlink-to-device",
            "statements {file} -o {out}",
            "not a regular file",
            "out-link-device",
        ),
        (
            "out-dangling-symlink-loop",
            "statements {file} -o {out}",
            "symbolic link",
            "out-link-loop",
        ),
        ("in-fifo", "show {file}", "not a regular file", "fifo"),
        ("in-dev-zero", "show {file}", "not a regular file", "dev-zero"),
        ("in-too-large", "show {file}", "larger than", "too-large"),
        ("in-folder", "show {file}", "folder", "folder"),
        ("in-missing", "show {file}", "no such file", "absent"),
        (
            "out-symlink-to-input",
            "statements {file} -o {out}",
            "is also an input",
            "out-link-input",
        ),
        ("pyproject-bad-table", "check {file}", "[tool.cimo]", "pyproject:[tool]\ncimo = 3\n"),
        ("pyproject-bad-select", "check {file}", "select", "pyproject:[tool.cimo]\nselect = 5\n"),
        ("pyproject-not-toml", "check {file}", "TOML", "pyproject:[tool.cimo\n"),
        ("pyproject-tool-string", "check {file}", "[tool]", "pyproject:tool = 'x'\n"),
        (
            "pyproject-unknown-key",
            "check {file}",
            "colour",
            "pyproject:[tool.cimo]\ncolour = 'red'\n",
        ),
        (
            "pyproject-bad-fail-on",
            "check {file}",
            "fail-on",
            "pyproject:[tool.cimo]\nfail-on = 3\n",
        ),
    ]
    for name, args, says, setup in special:
        content = (
            GOOD
            if setup
            in ("out-fifo", "out-device", "out-link-device", "out-link-loop", "out-link-input")
            or setup.startswith("pyproject:")
            else None
        )
        case(f"cli-{name}.yaml", content, args, 2, says, setup=setup)
    case(
        "ok-cli-out-symlink.yaml",
        GOOD,
        "statements {file} -o {out}",
        0,
        "IF staff under pressure",
        setup="out-link-file",
    )


def injection_cases() -> None:
    evil = (
        GOOD.replace("Feeling heard", json.dumps('=HYPERLINK("http://x","y")'))
        .replace("Peer support", json.dumps("+cmd|' /C calc'!A0"))
        .replace("Staying in post", '"@SUM(1)"')
    )
    case(
        "ok-inject-export-csv.yaml",
        evil,
        "export-table {file} -o {out}.csv",
        0,
        "'=HYPERLINK",
        lacks=",=HYPERLINK",
    )
    case(
        "ok-inject-export-csv-off.yaml",
        evil,
        "export-table {file} -o {out}.csv --no-csv-protection",
        0,
        "=HYPERLINK",
        lacks="'=HYPERLINK",
    )
    case("ok-inject-table-csv.yaml", evil, "table {file} -f csv", 0, "'@SUM(1)", lacks=",@SUM")
    case(
        "ok-inject-table-csv-tab.yaml",
        GOOD.replace("Feeling heard", '"\\tTabbed"'),
        "table {file} -f csv",
        0,
        "'\tTabbed",
    )
    case(
        "ok-inject-table-csv-minus.yaml",
        GOOD.replace("Feeling heard", "'-2+3'"),
        "table {file} -f csv",
        0,
        "'-2+3",
    )
    html = (
        GOOD.replace("Feeling heard", "<script>alert(1)</script>")
        .replace("Peer support", json.dumps('<img src=x onerror="alert(1)">'))
        .replace("Staying in post", '"<!-- hidden"')
    )
    case(
        "ok-inject-table-md.yaml", html, "table {file} -f md", 0, "&lt;script&gt;", lacks="<script>"
    )
    case("ok-inject-table-md-img.yaml", html, "table {file} -f md", 0, "&lt;img", lacks="<img")
    case("ok-inject-table-md-comment.yaml", html, "table {file} -f md", 0, "&lt;!--", lacks="<!--")
    case(
        "ok-inject-table-html.yaml",
        html,
        "table {file} -f html",
        0,
        "&lt;script&gt;",
        lacks="<script>",
    )
    case(
        "ok-inject-statements-md.yaml",
        html,
        "table {file} -f md -o {out}.md",
        0,
        "&lt;img",
        lacks="<img",
    )
    ctrl = GOOD.replace("Feeling heard", '"bell\\a and\\x1b escape"')
    case("ok-inject-latex-control.yaml", ctrl, "table {file} -f latex", 0, "bell", lacks="\x07")
    case("ok-xlsx-control-chars.yaml", ctrl, "export-table {file} -o {out}.xlsx", 0, "")
    crlf = GOOD.replace("Feeling heard", '"Feeling\\r\\nheard"')
    case("ok-dot-crlf.yaml", crlf, "render {file} -f dot", 0, "Feeling", lacks="\r")
    case("ok-mermaid-crlf.yaml", crlf, "render {file} -f mermaid", 0, "Feeling", lacks="\r")
    long = GOOD.replace("Feeling heard", "word " * 4000)
    case("ok-label-20000-dot.yaml", long, "render {file} -f dot", 0, "word word")
    case("ok-label-20000-svg.yaml", long, "render {file} -o {out}.svg", 0, "<svg", exe=True)
    case(
        "ok-crlf-svg.yaml",
        crlf,
        "render {file} -o {out}.svg",
        0,
        "Feeling",
        lacks="&#13;",
        exe=True,
    )


def main() -> None:
    import cimo
    from cimo.exchange import export_text

    for old in HERE.iterdir():
        if old.name not in ("make_cases.py", "README.md"):
            old.unlink()
    example = cimo.load_example("pwp-resilience")
    formats = ("graphml", "nodelink", "kumu", "qdc", "graphology", "cytoscape", "causalmap")
    exports = {f: export_text(example, format=f) for f in formats}
    theory_yaml_cases()
    theory_json_cases()
    import_cases(exports)
    more_import_cases(exports)
    csv_cases()
    xlsx_cases()
    cli_cases()
    injection_cases()
    lines = [
        "# The hostile-input corpus: one entry per file of this folder (written by make_cases.py).",
        "# args: the command line ({file}: the case's file, {out}: an output path beside it);",
        "# exit: the exit code; says: a phrase the message (bad) or the output (valid) must hold;",
        "# lacks: a phrase the output must not hold; setup: a special file the test makes.",
        "",
    ]
    for name, spec in CASES:
        fields = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in spec.items())
        lines.append(f'"{name}" = {{ {fields} }}')
    (HERE / "cases.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(CASES), "cases;", sum(1 for _, s in CASES if s["exit"] == 2), "bad")


if __name__ == "__main__":
    main()
