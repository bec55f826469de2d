/**
 * cimo explorer: pan/zoom, search, details panel, live scenarios, for whom, filters,
 * focus, presentation and print, on top of Graphviz's own SVG of cimo's theory map.
 * The reasoning is cimoEngine (engine.js); this file only shows its answers.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("cimo-data").textContent);
  const engine = window.cimoEngine;
  const $ = (id) => document.getElementById(id);
  const nodes = new Map(data.display.map((n) => [n.id, n]));
  const rules = new Map(data.rules.map((r) => [r.id, r]));
  const slots = new Map(data.reasoning.rules.map((r) => [r.id, r]));
  const themes = new Map(data.themes.map((t) => [t.id, t]));
  const pts = new Map(data.programmeTheories.map((p) => [p.id, p]));
  const KIND = {
    context: "Context",
    intervention: "Intervention",
    mechanism: "Mechanism",
    outcome: "Outcome",
  };

  const state = {
    contexts: new Set(),
    interventions: new Set(),
    result: null,
    selected: null,
    focus: null,
    route: null,
    trace: new Set(),
    matches: new Set(),
    present: -1,
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") {
        e.className = v;
      } else if (k.startsWith("on")) {
        e.addEventListener(k.slice(2), v);
      } else if (v !== null && v !== undefined && v !== false) {
        e.setAttribute(k, v === true ? "" : v);
      }
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) {
        e.append(c instanceof Node ? c : String(c));
      }
    }
    return e;
  }

  function labelOf(id) {
    const n = nodes.get(id);
    if (n) {
      const words = n.label + (n.truncated ? "…" : "");
      return n.printed ? `${n.printed} ${words}` : words;
    }
    const r = rules.get(id);
    if (r) {
      return r.printed && r.printed !== id ? `${r.printed} (${id})` : id;
    }
    return id;
  }

  function idButton(id) {
    return el(
      "button",
      { type: "button", class: "linkish", onclick: () => select(id, true) },
      labelOf(id),
    );
  }

  function idList(ids, joiner) {
    const out = [];
    ids.forEach((id, i) => {
      if (i) {
        out.push(joiner || ", ");
      }
      out.push(idButton(id));
    });
    return out;
  }

  function options() {
    return {
      contexts: [...state.contexts],
      interventions: [...state.interventions],
      includeRefuted: $("f-refuted").checked,
      statedOnly: $("f-stated").checked,
    };
  }

  // ------------------------------------------------------------------ the map

  const map = $("map");
  const svg = new DOMParser().parseFromString(data.svg, "image/svg+xml").documentElement;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Map of ${data.theory.title}`);
  map.append(document.importNode(svg, true));
  const svgEl = map.querySelector("svg");
  const full = svgEl.viewBox.baseVal;
  const home = { x: full.x, y: full.y, w: full.width, h: full.height };
  let view = { ...home };
  const shapes = new Map(); // id -> <g class="node">
  const edges = []; // { g, from, to }

  for (const g of svgEl.querySelectorAll("g.node")) {
    const id = g.querySelector("title").textContent;
    if (!nodes.has(id) && !rules.has(id)) {
      continue;
    }
    shapes.set(id, g);
    g.dataset.id = id;
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute(
      "aria-label",
      `${nodes.has(id) ? KIND[nodes.get(id).kind] : "Rule"}: ${labelOf(id)}`,
    );
    for (const a of g.querySelectorAll("a")) {
      a.removeAttribute("xlink:title");
      a.removeAttributeNS("http://www.w3.org/1999/xlink", "title");
    }
    g.addEventListener("click", (ev) => {
      ev.stopPropagation();
      select(id, false);
    });
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(id, false);
      }
    });
  }
  for (const g of svgEl.querySelectorAll("g.edge")) {
    const title = g.querySelector("title").textContent;
    const at = title.indexOf("->");
    if (at > 0) {
      edges.push({ g, from: title.slice(0, at), to: title.slice(at + 2) });
    }
  }

  function applyView() {
    svgEl.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  }

  function zoom(factor, cx, cy) {
    const x = cx === undefined ? view.x + view.w / 2 : cx;
    const y = cy === undefined ? view.y + view.h / 2 : cy;
    const w = Math.min(Math.max(view.w * factor, home.w / 40), home.w * 4);
    const k = w / view.w;
    view = { x: x - (x - view.x) * k, y: y - (y - view.y) * k, w, h: view.h * k };
    applyView();
  }

  function toSvg(clientX, clientY) {
    const pt = svgEl.createSVGPoint();
    pt.x = clientX;
    pt.y = clientY;
    return pt.matrixTransform(svgEl.getScreenCTM().inverse());
  }

  function centreOn(id) {
    const g = shapes.get(id);
    if (!g) {
      return;
    }
    const box = g.getBoundingClientRect();
    const c = toSvg(box.x + box.width / 2, box.y + box.height / 2);
    const w = Math.min(view.w, map.clientWidth);
    const k = w / view.w;
    view = { x: c.x - w / 2, y: c.y - (view.h * k) / 2, w, h: view.h * k };
    applyView();
  }

  map.addEventListener(
    "wheel",
    (ev) => {
      ev.preventDefault();
      const p = toSvg(ev.clientX, ev.clientY);
      zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    },
    { passive: false },
  );
  let drag = null;
  map.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest("g.node")) {
      return;
    }
    drag = { x: ev.clientX, y: ev.clientY, view: { ...view } };
    map.setPointerCapture(ev.pointerId);
  });
  map.addEventListener("pointermove", (ev) => {
    if (!drag) {
      return;
    }
    const scale = view.w / map.clientWidth;
    view = {
      ...drag.view,
      x: drag.view.x - (ev.clientX - drag.x) * scale,
      y: drag.view.y - (ev.clientY - drag.y) * scale,
    };
    applyView();
  });
  map.addEventListener("pointerup", () => {
    drag = null;
  });
  map.addEventListener("keydown", (ev) => {
    const step = view.w / 10;
    const moves = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (moves[ev.key] && ev.target === map) {
      ev.preventDefault();
      view.x += moves[ev.key][0];
      view.y += moves[ev.key][1];
      applyView();
    }
  });
  $("zoom-in").addEventListener("click", () => zoom(1 / 1.3));
  $("zoom-out").addEventListener("click", () => zoom(1.3));
  $("zoom-fit").addEventListener("click", () => {
    view = { ...home };
    applyView();
  });

  // ------------------------------------------------------------------ classes on the map

  const STATES = [
    "s-fired",
    "s-holds",
    "s-blocked",
    "s-withheld",
    "s-route",
    "s-trace",
    "s-match",
    "s-selected",
    "dim",
  ];

  function badge(g, text, kind) {
    const box = g.getBBox();
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("class", `badge ${kind}`);
    t.setAttribute("x", box.x);
    t.setAttribute("y", box.y - 3);
    t.textContent = text;
    g.append(t);
  }

  const HOLDS = {
    context: "✓ holds",
    intervention: "✓ delivered",
    mechanism: "✓ active",
    outcome: "✓ expected",
  };

  function paint() {
    const r = state.result;
    const fired = new Set(r ? r.fired_rules : []);
    const blocked = new Map(r ? r.blockers.map((b) => [b.rule, b.by]) : []);
    const withheld = new Set(r ? r.withheld_rules : []);
    const holds = new Set(r ? [...r.holding, ...r.mechanisms, ...state.interventions] : []);
    const active = r && (state.contexts.size || state.interventions.size);
    const route = state.route;
    for (const [id, g] of shapes) {
      g.classList.remove(...STATES);
      g.querySelectorAll("text.badge").forEach((t) => t.remove());
      if (active) {
        if (fired.has(id)) {
          g.classList.add("s-fired");
          badge(g, "✓ fires", "fired");
        } else if (blocked.has(id)) {
          g.classList.add("s-blocked");
          badge(g, "⊘ blocked", "blocked");
        } else if (withheld.has(id)) {
          g.classList.add("s-withheld");
          badge(g, "○ mechanisms off: otherwise", "withheld");
        } else if (holds.has(id)) {
          g.classList.add("s-holds");
          badge(g, HOLDS[nodes.get(id).kind], "holds");
        } else {
          g.classList.add("dim");
        }
      }
      if (
        route &&
        (route.contexts.includes(id) ||
          route.interventions.includes(id) ||
          route.rules.includes(id))
      ) {
        g.classList.add("s-route");
        g.classList.remove("dim");
      }
      if (state.trace.has(id)) {
        g.classList.add("s-trace");
        g.classList.remove("dim");
      }
      if (state.matches.has(id)) {
        g.classList.add("s-match");
      }
      if (state.selected === id) {
        g.classList.add("s-selected");
      }
    }
    for (const e of edges) {
      e.g.classList.remove("s-fired", "s-blocked", "dim");
      if (!active) {
        continue;
      }
      const rule = rules.has(e.to) ? e.to : rules.has(e.from) ? e.from : null;
      if (rule && fired.has(rule) && !(slots.get(rule).unless || []).includes(e.from)) {
        e.g.classList.add("s-fired");
      } else if (rule && blocked.has(rule) && blocked.get(rule).includes(e.from)) {
        e.g.classList.add("s-blocked");
      } else if (!rule && holds.has(e.from) && holds.has(e.to)) {
        e.g.classList.add("s-fired");
      } else {
        e.g.classList.add("dim");
      }
    }
    filter();
  }

  // ------------------------------------------------------------------ scenario

  function scenarioLists() {
    const ctx = $("ctx-list");
    const ints = $("int-list");
    for (const n of data.display) {
      if (n.kind !== "context" && n.kind !== "intervention") {
        continue;
      }
      const box = el("input", { type: "checkbox", value: n.id, "data-kind": n.kind });
      box.addEventListener("change", () => {
        const set = n.kind === "context" ? state.contexts : state.interventions;
        if (box.checked) {
          set.add(n.id);
        } else {
          set.delete(n.id);
        }
        run();
      });
      (n.kind === "context" ? ctx : ints).append(
        el("label", {}, box, el("span", {}, labelOf(n.id))),
      );
    }
    if (!ctx.children.length) {
      ctx.append(el("p", { class: "hint" }, "No contexts."));
    }
    if (!ints.children.length) {
      ints.append(el("p", { class: "hint" }, "No interventions."));
    }
  }

  function setScenario(contexts, interventions) {
    state.contexts = new Set(contexts);
    state.interventions = new Set(interventions);
    for (const box of document.querySelectorAll(".ticks input")) {
      box.checked = state.contexts.has(box.value) || state.interventions.has(box.value);
    }
    run();
  }

  function run() {
    const opts = options();
    state.result = engine.scenario(data.reasoning, opts);
    state.trace = new Set();
    const r = state.result;
    const box = $("result");
    box.replaceChildren();
    if (state.contexts.size || state.interventions.size) {
      const part = (title, ids, extra) =>
        el(
          "div",
          { class: "part" },
          el("h3", {}, title),
          ids.length
            ? el(
                "ul",
                {},
                ids.map((id) => el("li", {}, idButton(id), extra ? extra(id) : "")),
              )
            : el("p", { class: "hint" }, "none"),
        );
      const by = new Map(r.blockers.map((b) => [b.rule, b.by]));
      box.append(
        part("Rules that fire", r.fired_rules),
        part("Blocked", r.blocked_rules, (id) => [" — by ", ...idList(by.get(id), " and ")]),
        part("Outcomes that follow", r.outcomes),
      );
      if (r.withheld_rules.length) {
        box.append(part("Conditions held, mechanisms did not fire (otherwise)", r.withheld_rules));
      }
      if (r.reduced.length) {
        box.append(part("Made less likely", r.reduced));
      }
      if (r.set_aside.length) {
        box.append(part("Refuted rules set aside", r.set_aside));
      }
    }
    paint();
    if (state.selected) {
      showPanel(state.selected);
    }
  }

  $("clear-scenario").addEventListener("click", () => {
    state.route = null;
    setScenario([], []);
  });

  // ------------------------------------------------------------------ derivations

  function derivationTree(outcome, seen) {
    const r = state.result;
    const here = r.derivations.filter((d) => d.outcome === outcome && d.effect !== "reduces");
    if (!here.length) {
      const given = r.contexts.includes(outcome) || state.interventions.has(outcome);
      return el(
        "span",
        { class: "hint" },
        given ? " (given)" : " (holds through a link or feeds relation)",
      );
    }
    return el(
      "ul",
      {},
      here.map((d) => {
        state.trace.add(d.rule);
        const kids = d.from.filter(
          (x) => !seen.has(x) && !r.contexts.includes(x) && !state.interventions.has(x),
        );
        const sub = kids.map((x) => {
          state.trace.add(x);
          return el("li", {}, idButton(x), derivationTree(x, new Set([...seen, x])));
        });
        return el(
          "li",
          {},
          d.effect === "otherwise" ? "otherwise of " : "by ",
          idButton(d.rule),
          d.from.length ? [" from ", ...idList(d.from, " + ")] : "",
          d.because.length ? [" because ", ...idList(d.because, " + ")] : "",
          sub.length ? el("ul", {}, sub) : "",
        );
      }),
    );
  }

  function forWhomBlock(outcome) {
    const fw = engine.forWhom(data.reasoning, outcome, options());
    const lit = {
      contexts: [...new Set(fw.sets.flatMap((s) => s.contexts))],
      interventions: [],
      rules: [],
    };
    state.route = lit;
    const list = el(
      "div",
      {},
      fw.sets.map((s) => {
        const card = el(
          "div",
          { class: "route" },
          el("div", {}, s.contexts.length ? idList(s.contexts, " and ") : "in any circumstances"),
          s.interventions.length ? el("div", {}, "with ", ...idList(s.interventions, " and ")) : "",
          s.without.length
            ? el("div", {}, "when ", ...idList(s.without, " and "), " does not fire")
            : "",
          s.unless.length ? el("div", {}, "unless ", ...idList(s.unless, " or ")) : "",
          el(
            "div",
            { class: "hint" },
            "through ",
            ...idList(s.rules, " → "),
            s.outcome ? ` (as ${labelOf(s.outcome)})` : "",
          ),
          el(
            "button",
            {
              type: "button",
              onclick: () => {
                state.route = s;
                paint();
              },
            },
            "Light up",
          ),
          " ",
          el(
            "button",
            {
              type: "button",
              onclick: () => {
                state.route = s;
                setScenario(s.contexts, s.interventions);
              },
            },
            "Try this scenario",
          ),
        );
        return card;
      }),
    );
    return el(
      "section",
      { class: "for-whom" },
      el(
        "h3",
        {},
        `For whom, in what circumstances (${fw.sets.length} route${fw.sets.length === 1 ? "" : "s"})`,
      ),
      fw.sets.length ? list : el("p", { class: "hint" }, "No circumstances produce it."),
      fw.unknown.length
        ? el("p", { class: "hint" }, "Context unknown (never fires): ", ...idList(fw.unknown))
        : "",
      fw.set_aside.length
        ? el("p", { class: "hint" }, "Refuted rules set aside: ", ...idList(fw.set_aside))
        : "",
      fw.truncated ? el("p", { class: "hint" }, "(cut short: more routes exist)") : "",
    );
  }

  // ------------------------------------------------------------------ the side panel

  function field(dl, name, value) {
    if (
      value === null ||
      value === undefined ||
      value === "" ||
      (Array.isArray(value) && !value.length)
    ) {
      return;
    }
    dl.append(
      el("dt", {}, name),
      el("dd", {}, Array.isArray(value) ? value.join("; ") : String(value)),
    );
  }

  // An annotation as cimo prints it: "Tension against R3: text (source, locator)".
  function annotationLine(a) {
    return [el("b", {}, `${a.head}: `), a.text, a.where ? ` (${a.where})` : null];
  }

  function evidenceBlock(evidence) {
    if (!evidence.length) {
      return el("p", { class: "hint" }, "No evidence recorded.");
    }
    return evidence.map((ev) =>
      el(
        "blockquote",
        { class: "quote" },
        ev.quote ? el("p", {}, `“${ev.quote}”`) : "",
        el(
          "footer",
          {},
          [
            ev.participant ? `participant: ${ev.participant}` : null,
            ev.source ? `source: ${ev.source}` : null,
            ev.locator ? `at ${ev.locator}` : null,
            ev.stance ? `stance: ${ev.stance}` : null,
            ev.kind,
            ev.incidence !== null && ev.incidence !== undefined
              ? `incidence ${ev.incidence}`
              : null,
            ev.intensity ? `intensity ${ev.intensity}` : null,
            ev.note,
          ]
            .filter(Boolean)
            .join(" · "),
        ),
      ),
    );
  }

  /** Every id a rule names, in any slot. */
  function named(r) {
    return [
      ...r.contexts,
      ...r.modifiers,
      ...r.unless,
      ...r.interventions,
      ...r.then,
      ...r.reduces,
      ...r.otherwise,
      ...r.moderators,
      ...r.despite,
      ...r.mechs.map((m) => m.id),
      ...r.groups.flat(),
    ];
  }

  const namedBy = new Map(data.reasoning.rules.map((r) => [r.id, new Set(named(r))]));

  function rulesNaming(id) {
    return data.reasoning.rules.filter((r) => namedBy.get(r.id).has(id));
  }

  function neighbourhood(id) {
    const near = new Set([id]);
    const touching = rules.has(id) ? [slots.get(id)] : rulesNaming(id);
    for (const r of touching) {
      near.add(r.id);
      namedBy.get(r.id).forEach((x) => near.add(x));
    }
    return near;
  }

  function statusTag(status) {
    return el("span", { class: `tag ${status === "refuted" ? "refuted" : ""}` }, status);
  }

  function showPanel(id) {
    const panel = $("panel");
    panel.replaceChildren();
    state.trace = new Set();
    const r = state.result;
    const n = nodes.get(id);
    const dl = el("dl");
    if (n) {
      panel.append(
        el(
          "p",
          { class: "hint" },
          KIND[n.kind],
          n.inferred.includes("label") ? " · worded by the encoder (inferred)" : "",
        ),
        el(
          "h2",
          { id: "panel-title" },
          n.printed ? el("span", { class: "printed" }, `${n.printed} `) : "",
          n.label + (n.truncated ? "…" : ""),
        ),
        el("p", { class: "hint" }, `id: ${n.id}`),
      );
      if (n.description) {
        panel.append(el("p", {}, n.description));
      }
      field(dl, "Resource", n.resource);
      field(dl, "Reasoning", n.reasoning);
      field(dl, "Behaviour", n.behaviour);
      field(
        dl,
        "Category",
        n.category ? n.category + (n.inferred.includes("category") ? " (inferred)" : "") : null,
      );
      field(dl, "Polarity", n.polarity);
      field(dl, "Absent", n.absent ? "yes (a lacking mechanism)" : null);
      field(dl, "Level", n.level);
      field(dl, "Dimension", n.dimension);
      if (n.facets) {
        for (const [k, v] of Object.entries(n.facets)) {
          field(dl, k, v);
        }
      }
      field(dl, "Indicators", n.indicators);
      field(dl, "Components", n.components);
      field(dl, "Domain", n.domain);
      field(dl, "Measures", n.measures);
      field(dl, "Variant of", n.variantOf);
      field(dl, "Iterations", n.iterations);
      field(dl, "Tags", n.tags);
      panel.append(dl);
      const used = rulesNaming(id);
      panel.append(
        el("h3", {}, `In ${used.length} rule${used.length === 1 ? "" : "s"}`),
        el(
          "ul",
          {},
          used.map((u) => el("li", {}, idButton(u.id))),
        ),
      );
      if (n.kind === "outcome") {
        if (r && r.outcomes.includes(id)) {
          panel.append(
            el("h3", {}, "How it follows in this scenario"),
            derivationTree(id, new Set([id])),
          );
        } else if (r && (state.contexts.size || state.interventions.size)) {
          panel.append(el("p", { class: "hint" }, "Not expected in this scenario."));
        }
        panel.append(forWhomBlock(id));
      }
    } else {
      const rule = rules.get(id);
      const theme = rule.theme ? themes.get(rule.theme) : null;
      panel.append(
        el(
          "p",
          { class: "hint" },
          "Rule (configuration) ",
          statusTag(rule.status),
          rule.actor ? `for ${rule.actor}` : "",
        ),
        el(
          "h2",
          { id: "panel-title" },
          rule.printed ? el("span", { class: "printed" }, `${rule.printed} `) : "",
          rule.id,
        ),
        el("p", {}, rule.sentence),
      );
      if (rule.statement) {
        panel.append(
          el(
            "blockquote",
            { class: "quote" },
            el("p", {}, rule.statement),
            el("footer", {}, "as printed"),
          ),
        );
      }
      if (rule.description) {
        panel.append(el("p", {}, rule.description));
      }
      field(dl, "Status", rule.status);
      field(dl, "Theme", theme ? theme.label : rule.theme);
      field(dl, "Recommendation", theme ? theme.recommendation : null);
      field(
        dl,
        "Programme theory",
        rule.programmeTheory
          ? (pts.get(rule.programmeTheory) || {}).label || rule.programmeTheory
          : null,
      );
      field(dl, "Iterations", rule.iterations);
      field(dl, "Inferred", rule.inferred);
      field(dl, "Tags", rule.tags);
      if (theme && theme.annotations.length) {
        dl.append(
          el("dt", {}, "Theme notes"),
          ...theme.annotations.map((a) => el("dd", {}, annotationLine(a))),
        );
      }
      panel.append(dl);
      for (const a of rule.annotations) {
        panel.append(el("p", { class: "annotation" }, annotationLine(a)));
      }
      if (r && (state.contexts.size || state.interventions.size)) {
        const b = r.blockers.find((x) => x.rule === id);
        let text = "Does not fire in this scenario.";
        if (r.fired_rules.includes(id)) {
          text = "Fires in this scenario.";
        } else if (b) {
          text = `Blocked in this scenario by ${b.by.map(labelOf).join(" and ")}.`;
        } else if (r.withheld_rules.includes(id)) {
          text =
            "Its conditions hold but its mechanisms do not fire: its OTHERWISE outcomes follow.";
        }
        panel.append(el("p", { class: "status-line" }, el("b", {}, text)));
      }
      panel.append(
        el("h3", {}, `Evidence (${rule.evidence.length})`),
        ...[evidenceBlock(rule.evidence)].flat(),
      );
    }
    panel.append(
      el(
        "p",
        {},
        el(
          "button",
          { type: "button", id: "focus-button", onclick: () => focusOn(id) },
          "Focus on its neighbourhood (F)",
        ),
      ),
    );
    paint();
  }

  function select(id, centre) {
    state.selected = id;
    showPanel(id);
    if (centre) {
      centreOn(id);
    }
  }

  // ------------------------------------------------------------------ search

  const search = $("search");
  const results = $("search-results");
  let hits = [];
  let cursor = -1;
  const haystack = [
    ...data.display.map((n) => ({
      id: n.id,
      kind: KIND[n.kind],
      text: `${n.id} ${n.printed || ""} ${n.label}`.toLowerCase(),
    })),
    ...data.rules.map((r) => ({
      id: r.id,
      kind: "Rule",
      text: `${r.id} ${r.printed || ""} ${r.statement || ""}`.toLowerCase(),
    })),
  ];

  function showHits() {
    results.replaceChildren(
      ...hits.map((h, i) =>
        el(
          "li",
          {
            role: "option",
            id: `hit-${i}`,
            "aria-selected": String(i === cursor),
            onclick: () => pick(i),
          },
          labelOf(h.id),
          " ",
          el("small", {}, `${h.kind} · ${h.id}`),
        ),
      ),
    );
    results.hidden = !hits.length;
    search.setAttribute("aria-activedescendant", cursor >= 0 ? `hit-${cursor}` : "");
  }

  function pick(i) {
    const h = hits[i];
    if (!h) {
      return;
    }
    results.hidden = true;
    select(h.id, true);
  }

  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    hits = q ? haystack.filter((h) => h.text.includes(q)).slice(0, 30) : [];
    cursor = hits.length ? 0 : -1;
    state.matches = new Set(hits.map((h) => h.id));
    showHits();
    paint();
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      cursor = Math.max(0, Math.min(hits.length - 1, cursor + (ev.key === "ArrowDown" ? 1 : -1)));
      showHits();
    } else if (ev.key === "Enter") {
      pick(cursor);
    } else if (ev.key === "Escape") {
      search.value = "";
      hits = [];
      state.matches = new Set();
      showHits();
      paint();
    }
  });

  // ------------------------------------------------------------------ filters and focus

  function fillSelect(id, label, entries) {
    const s = $(id);
    s.replaceChildren(
      el("option", { value: "" }, `All ${label}`),
      ...entries.map(([v, t]) => el("option", { value: v }, t)),
    );
    s.disabled = entries.length === 0;
    s.addEventListener("change", paint);
  }

  fillSelect(
    "f-theme",
    "themes",
    // declared themes first, then any theme a rule names without a record (as its id)
    [
      ...data.themes.map((t) => [t.id, t.label]),
      ...[...new Set(data.rules.map((r) => r.theme))]
        .filter((t) => t && !themes.has(t))
        .map((t) => [t, t]),
    ],
  );
  fillSelect(
    "f-status",
    "statuses",
    [...new Set(data.rules.map((r) => r.status))].map((s) => [s, s]),
  );
  fillSelect(
    "f-iteration",
    "iterations",
    data.iterations.map((i) => [String(i.number), `${i.number}: ${i.label}`]),
  );
  fillSelect(
    "f-pt",
    "programme theories",
    data.programmeTheories.map((p) => [p.id, p.label]),
  );
  $("f-stated").addEventListener("change", run);
  $("f-refuted").addEventListener("change", run);

  function filter() {
    const theme = $("f-theme").value;
    const status = $("f-status").value;
    const iteration = $("f-iteration").value;
    const pt = $("f-pt").value;
    const stated = $("f-stated").checked;
    const any = theme || status || iteration || pt;
    const keep = new Set();
    for (const r of data.rules) {
      const ok =
        (!theme || r.theme === theme) &&
        (!status || r.status === status) &&
        (!iteration || !r.iterations.length || r.iterations.includes(Number(iteration))) &&
        (!pt || r.programmeTheory === pt);
      if (ok) {
        neighbourhood(r.id).forEach((x) => keep.add(x));
      }
    }
    const near = state.focus ? neighbourhood(state.focus) : null;
    for (const [id, g] of shapes) {
      g.classList.toggle("filtered", Boolean(any) && !keep.has(id));
      g.classList.toggle("unfocused", Boolean(near) && !near.has(id));
    }
    const unstated = new Set(
      data.relations.filter((x) => !x.stated).map((x) => `${x.from}->${x.to}`),
    );
    for (const e of edges) {
      const out =
        (any && !(keep.has(e.from) && keep.has(e.to))) ||
        (near && !(near.has(e.from) && near.has(e.to)));
      e.g.classList.toggle("filtered", Boolean(out));
      e.g.classList.toggle("hidden-edge", stated && unstated.has(`${e.from}->${e.to}`));
    }
    $("show-all").hidden = !any && !near;
  }

  function focusOn(id) {
    state.focus = id;
    paint();
  }

  $("show-all").addEventListener("click", () => {
    state.focus = null;
    for (const s of ["f-theme", "f-status", "f-iteration", "f-pt"]) {
      $(s).value = "";
    }
    paint();
  });

  // ------------------------------------------------------------------ presentation

  function visibleRules() {
    return data.rules.filter(
      (r) => !shapes.get(r.id) || !shapes.get(r.id).classList.contains("filtered"),
    );
  }

  function present(step) {
    const list = visibleRules();
    if (!list.length) {
      return;
    }
    state.present = (step + list.length) % list.length;
    const rule = list[state.present];
    const s = slots.get(rule.id);
    const row = (word, ids, joiner) =>
      ids.length
        ? el("p", { class: "slot" }, el("b", {}, word), ids.map(labelOf).join(joiner))
        : "";
    $("present-count").textContent =
      `Configuration ${state.present + 1} of ${list.length} · ${rule.status}` +
      (rule.theme ? ` · ${(themes.get(rule.theme) || {}).label || rule.theme}` : "");
    $("present-title").textContent = (rule.printed ? `${rule.printed} ` : "") + rule.id;
    $("present-body").replaceChildren(
      rule.actor ? el("p", { class: "slot" }, el("b", {}, "FOR"), rule.actor) : "",
      row("WITHIN", s.modifiers, " and "),
      s.contexts.length || s.groups.length
        ? el(
            "p",
            { class: "slot" },
            el("b", {}, "IF"),
            [
              ...s.contexts.map(labelOf),
              ...s.groups.map((g) => `(${g.map(labelOf).join(" or ")})`),
            ].join(" and "),
          )
        : el(
            "p",
            { class: "slot" },
            el("b", {}, "IF"),
            s.anyContext ? "in any circumstances" : "(context not stated)",
          ),
      row("UNLESS", s.unless, " or "),
      row("WITH", s.interventions, " and "),
      row(
        "BECAUSE",
        s.mechs.map((m) => m.id),
        s.mode === "alternatives" ? " or " : " and ",
      ),
      row("THEN", s.then, " and "),
      row("REDUCES", s.reduces, " and "),
      row("OTHERWISE", s.otherwise, " and "),
      rule.evidence.length
        ? el(
            "p",
            { class: "hint" },
            `${rule.evidence.length} piece${rule.evidence.length === 1 ? "" : "s"} of evidence`,
          )
        : "",
    );
    $("presenter").hidden = false;
    state.selected = rule.id;
    paint();
    $("present-next").focus();
  }

  function stopPresenting() {
    $("presenter").hidden = true;
    state.present = -1;
    $("present").focus();
  }

  $("present").addEventListener("click", () => present(0));
  $("present-next").addEventListener("click", () => present(state.present + 1));
  $("present-prev").addEventListener("click", () => present(state.present - 1));
  $("present-close").addEventListener("click", stopPresenting);

  // ------------------------------------------------------------------ print, help, keys

  $("print").addEventListener("click", () => window.print());
  $("print-list").append(
    el("h2", {}, "Configurations"),
    el(
      "ol",
      {},
      data.rules.map((r) =>
        el(
          "li",
          {},
          el("b", {}, `${r.printed ? r.printed + " " : ""}${r.id} [${r.status}] `),
          r.sentence,
        ),
      ),
    ),
  );
  $("help-button").addEventListener("click", () => {
    const help = $("help");
    help.hidden = !help.hidden;
    $("help-button").setAttribute("aria-expanded", String(!help.hidden));
  });

  document.addEventListener("keydown", (ev) => {
    const typing = ev.target instanceof HTMLInputElement && ev.target.type !== "checkbox";
    if (!$("presenter").hidden) {
      if (ev.key === "Escape") {
        stopPresenting();
      } else if (ev.key === "ArrowRight" || ev.key === "PageDown") {
        present(state.present + 1);
      } else if (ev.key === "ArrowLeft" || ev.key === "PageUp") {
        present(state.present - 1);
      }
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || ev.target instanceof HTMLSelectElement) {
      return;
    }
    const keys = {
      "/": () => search.focus(),
      "+": () => zoom(1 / 1.3),
      "=": () => zoom(1 / 1.3),
      "-": () => zoom(1.3),
      0: () => $("zoom-fit").click(),
      p: () => present(0),
      f: () => state.selected && focusOn(state.selected),
      a: () => $("show-all").click(),
      Escape: () => {
        state.route = null;
        state.matches = new Set();
        paint();
      },
    };
    const act = keys[ev.key] || keys[ev.key.toLowerCase()];
    if (act) {
      ev.preventDefault();
      act();
    }
  });

  /** The first view: the whole map when its words stay readable, else its top left at 90%. */
  function startView() {
    const ratio = map.clientHeight / Math.max(map.clientWidth, 1);
    const scale = Math.min(map.clientWidth / home.w, map.clientHeight / home.h);
    if (scale < 0.8) {
      const w = Math.min(home.w, map.clientWidth / 0.9);
      view = { x: home.x, y: home.y, w, h: w * ratio };
    }
    applyView();
  }

  scenarioLists();
  startView();
  run();
  window.cimoExplorer = { state, run, select, setScenario, data };
})();
