# ruff: noqa: E501  (the coded passages read best one to a line)
"""Build ``group-cbt-interviews.qdpx``: a REFI-QDA project as a QDA tool would export it.

The story: a team evaluating the Work-focused Relational Group CBT programme
(the bundled example ``work-focused-group-cbt``) exported cimo's codebook
(``cimo export work-focused-group-cbt --to qdc``), imported it into their QDA
tool, added two codes of their own ("Peer support", "Interesting quotes"),
coded three transcripts they wrote (``transcripts/``: two client interviews
and a focus group with the two facilitators) and exported the project.

The project is laid out the way QualCoder writes one: ``project.qde`` plus
``sources/<guid>.txt``; each coding is its own ``PlainTextSelection`` (a
passage with three codes is three selections over the same characters);
cases carry their variables and name their interview (``SourceRef``), or,
in the focus group, the passages each person spoke (``SelectionRef``).
Positions are character offsets into the transcript, found here from the
quote's text (each quote occurs once).

Run from the repository root: ``python tests/data/qdpx/build_fixture.py``.
The output is fixed (deterministic GUIDs and zip dates).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cimo
from cimo.exchange.qdc import to_qdc

HERE = Path(__file__).parent
OUT = HERE / "group-cbt-interviews.qdpx"
PROJECT = "urn:QDA-XML:project:1.0"
CODEBOOK = "urn:QDA-XML:codebook:1.0"
P = f"{{{PROJECT}}}"

SOURCES = {
    "interview-01": "Interview 1 (P01)",
    "interview-02": "Interview 2 (P02)",
    "focus-group-therapists": "Focus group with the facilitators",
}
#: (case, variables) in the order the team declared them.
CASES: dict[str, dict[str, str | int]] = {
    "P01": {"role": "client", "work status at start": "in work", "sessions attended": 11},
    "P02": {"role": "client", "work status at start": "off sick", "sessions attended": 9},
    "T01": {"role": "group therapist"},
    "T02": {"role": "occupational therapist"},
}
VARIABLE_TYPES = {"role": "Text", "work status at start": "Text", "sessions attended": "Integer"}
INTERVIEWEE = {"interview-01": "P01", "interview-02": "P02"}
#: The 20 coded passages: source, quote, codes (cimo ids, stances or team codes),
#: and in the focus group who said it.
PASSAGES: list[tuple[str, str, tuple[str, ...], str | None]] = [
    ("interview-01", "I realised I was not the only one hiding it at work", ("realise", "supports"), None),
    ("interview-01", "the therapist got us talking to each other rather than to her", ("therapists-facilitate-peer-interaction",), None),
    ("interview-01", "I caught myself doing the \"everyone thinks I'm useless\" thing in a meeting and I could actually stop it", ("reflect", "regulate"), None),
    ("interview-01", "because it came from them and not from a professional, I listened", ("Peer support",), None),
    ("interview-01", "I kept my job. I don't think I would have without it.", ("retain", "supports"), None),
    ("interview-01", "We practised how to talk to my manager about adjustments", ("resolve",), None),
    ("interview-01", "The full days were long. Some weeks I came home wiped out and it was hard to face work the next morning.", ("group-format", "Interesting quotes"), None),
    ("interview-02", "I was sure I would never go back.", ("off-sick",), None),
    ("interview-02", "hearing people who were still in work describe the same panic I had about going back", ("resume", "supports"), None),
    ("interview-02", "she helped me draft a phased return plan", ("ot-liaison", "resume"), None),
    ("interview-02", "the sessions about relationships did not do much for me", ("relate", "refutes"), None),
    ("interview-02", "Back at work three days a week on a phased return.", ("resume", "supports"), None),
    ("interview-02", "My mood is better, not fixed, but better. I sleep again.", ("work-supports-recovery",), None),
    ("interview-02", "I can spot when I'm sliding and do something about it", ("own-therapist",), None),
    ("focus-group-therapists", "When a client asks me what to do, I ask who else has been there. The peers answer, and it sticks far better than anything I could say.", ("table-2-example-1", "supports"), "T01"),
    ("focus-group-therapists", "Every session has a work thread, so people rehearse the conversations they dread", ("resolve", "work-status"), "T02"),
    ("focus-group-therapists", "If someone is acutely unwell they cannot yet use the group; they sit there and it confirms their sense of failure.", ("figure-4", "refines"), "T01"),
    ("focus-group-therapists", "All the skills in the world did not keep him in that job, so there it did not work.", ("retain", "refutes"), "T02"),
    ("focus-group-therapists", "knowing I could call their manager, and that I mostly did not, made them feel in control", ("Interesting quotes",), "T02"),
    ("focus-group-therapists", "The ones who do the homework and speak in the group are the ones who come out with skills they can use at work.", ("table-2-example-2", "supports"), "T01"),
]  # fmt: skip
TEAM_CODES = ("Peer support", "Interesting quotes")


def guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "qdpx-fixture:" + ":".join(parts)))


def codebook(theory: cimo.Theory) -> tuple[ET.Element, dict[str, str]]:
    """cimo's codebook moved into the project namespace, plus the team's codes; id -> GUID."""
    book = ET.fromstring(to_qdc(theory))
    for element in book.iter():
        element.tag = element.tag.replace(CODEBOOK, PROJECT)
    codes = book.find(f"{P}Codes")
    assert codes is not None
    ids: dict[str, str] = {}
    for code in codes.iter(f"{P}Code"):
        line = (code.findtext(f"{P}Description") or "").rsplit("cimo id: ", 1)
        ident = line[1].strip() if len(line) == 2 else code.get("name", "")
        ids[ident] = code.get("guid", "")
    team = ET.SubElement(
        codes, f"{P}Code", guid=guid("code", "team"), name="Team codes", isCodable="false"
    )
    for name in TEAM_CODES:
        ids[name] = guid("code", name)
        ET.SubElement(
            team, f"{P}Code", guid=ids[name], name=name, isCodable="true", color="#FF7F0E"
        )
    return codes, ids


def build() -> bytes:
    theory = cimo.load_example("work-focused-group-cbt")
    texts = {s: (HERE / "transcripts" / f"{s}.txt").read_text(encoding="utf-8") for s in SOURCES}
    codes, code_ids = codebook(theory)
    ET.register_namespace("", PROJECT)  # after to_qdc, which registers the codebook's
    user = guid("user", "coder")
    root = ET.Element(
        f"{P}Project",
        name="Group CBT evaluation: client and facilitator interviews",
        origin="build_fixture.py (QualCoder layout)",
        creatingUserGUID=user,
    )
    ET.SubElement(ET.SubElement(root, f"{P}Users"), f"{P}User", guid=user, name="coder")
    ET.SubElement(root, f"{P}CodeBook").append(codes)
    variables = ET.SubElement(root, f"{P}Variables")
    for name, kind in VARIABLE_TYPES.items():
        ET.SubElement(
            variables, f"{P}Variable", guid=guid("variable", name), name=name, typeOfVariable=kind
        )
    # Selections first (cases refer to them).
    selections: dict[str, list[tuple[int, int, str, str]]] = {s: [] for s in SOURCES}
    spoken: dict[str, list[str]] = {c: [] for c in CASES}
    for n, (source, quote, code_names, who) in enumerate(PASSAGES):
        text = texts[source]
        start = text.find(quote)
        assert start >= 0 and text.find(quote, start + 1) < 0, (source, quote)
        for code in code_names:
            sel = guid("selection", str(n), code)
            selections[source].append((start, start + len(quote), sel, code_ids[code]))
            if who:
                spoken[who].append(sel)
    cases = ET.SubElement(root, f"{P}Cases")
    for name, values in CASES.items():
        case = ET.SubElement(cases, f"{P}Case", guid=guid("case", name), name=name)
        for variable, value in values.items():
            vv = ET.SubElement(case, f"{P}VariableValue")
            ET.SubElement(vv, f"{P}VariableRef", targetGUID=guid("variable", variable))
            tag = "IntegerValue" if isinstance(value, int) else "TextValue"
            ET.SubElement(vv, f"{P}{tag}").text = str(value)
        for source, person in INTERVIEWEE.items():
            if person == name:
                ET.SubElement(case, f"{P}SourceRef", targetGUID=guid("source", source))
        if spoken[name]:
            ET.SubElement(
                case, f"{P}SourceRef", targetGUID=guid("source", "focus-group-therapists")
            )
        for sel in spoken[name]:
            ET.SubElement(case, f"{P}SelectionRef", targetGUID=sel)
    sources = ET.SubElement(root, f"{P}Sources")
    files = {}
    for source, title in SOURCES.items():
        file = f"{guid('source', source)}.txt"
        files[f"sources/{file}"] = texts[source]
        element = ET.SubElement(
            sources,
            f"{P}TextSource",
            guid=guid("source", source),
            name=f"{source}.txt",
            plainTextPath=f"internal://{file}",
        )
        ET.SubElement(element, f"{P}Description").text = title
        for start, end, sel, code in selections[source]:
            s = ET.SubElement(
                element,
                f"{P}PlainTextSelection",
                guid=sel,
                name=texts[source][start:end][:40],
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user,
            )
            coding = ET.SubElement(s, f"{P}Coding", guid=guid("coding", sel), creatingUser=user)
            ET.SubElement(coding, f"{P}CodeRef", targetGUID=code)
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    out = {"project.qde": xml, **files}
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in out.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 2, 12, 0, 0)), text.encode())
    return buffer.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({len(PASSAGES)} coded passages)")
