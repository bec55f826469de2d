/**
 * cimo's reasoning in the browser: scenario and for_whom, exactly as cimo.query means them.
 *
 * This file is a line-by-line port of cimo/query/_index.py (the reasoning index),
 * cimo/query/_engine.py (the forward pass to a fixed point), the result assembly of
 * cimo/query/_scenario.py and the route search of cimo/query/_for_whom.py. The input
 * is the JSON the Python side writes (cimo.render.explorer_data): rules with their
 * slots, node kinds, links and feeds relations, outcome variants. A Hypothesis
 * property test (tests/test_explorer_equivalence.py) runs both on generated theories
 * in a real browser and asserts the same answers; keep the two in step.
 *
 * Every table is a Map (ids such as "constructor" must not meet Object's prototype).
 */
(function (root) {
  "use strict";

  const PENDING = "pending";
  const BLOCKED = "blocked";
  const ENABLED = "enabled";
  const FIRED = "fired";
  const FALLEN = "fallen";

  /** Code-point order (ids are ASCII, so this is Python's order too). */
  function byText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sorted(items) {
    return Array.from(items).sort(byText);
  }

  function unique(items) {
    return Array.from(new Set(items));
  }

  function getList(map, key) {
    return map.get(key) || [];
  }

  /** _add: append a rule position unless it is the last one there. */
  function addPos(table, key, pos) {
    const bucket = table.get(key);
    if (bucket === undefined) {
      table.set(key, [pos]);
    } else if (bucket[bucket.length - 1] !== pos) {
      bucket.push(pos);
    }
  }

  function push(table, key, value) {
    const bucket = table.get(key);
    if (bucket === undefined) {
      table.set(key, [value]);
    } else {
      bucket.push(value);
    }
  }

  function hasContextCondition(rule) {
    if (rule.missing.includes("context")) {
      return false;
    }
    return Boolean(
      rule.contexts.length || rule.groups.length || rule.modifiers.length || rule.anyContext,
    );
  }

  function needs(rule) {
    const items = [...rule.contexts, ...rule.modifiers];
    for (const group of rule.groups) {
      items.push(...group);
    }
    for (const m of rule.mechs) {
      items.push(...m.requires);
    }
    return unique(items);
  }

  function variantsOf(data) {
    const direct = new Map();
    for (const [id, parent] of data.variantOf) {
      push(direct, parent, id);
    }
    const out = new Map();
    for (const [rootId, kids] of direct) {
      const seen = new Set();
      const stack = [...kids].reverse();
      while (stack.length) {
        const o = stack.pop();
        if (seen.has(o) || o === rootId) {
          continue;
        }
        seen.add(o);
        stack.push(...[...getList(direct, o)].reverse());
      }
      out.set(rootId, Array.from(seen));
    }
    return out;
  }

  /** The reasoning index (cimo.query._index.rule_index). */
  function buildIndex(data, includeRefuted, statedOnly) {
    const idx = {
      rules: data.rules,
      includeRefuted,
      statedOnly,
      position: new Map(),
      kinds: new Map(),
      active: [],
      refuted: [],
      unknown: [],
      fires: [],
      required: [],
      mechs: [],
      freeThen: [],
      freeReduces: [],
      waiting: new Map(),
      inGroup: new Map(),
      requiring: new Map(),
      unless: new Map(),
      producers: new Map(),
      reducers: new Map(),
      fallbacks: new Map(),
      using: new Map(),
      activators: new Map(),
      feedsTo: new Map(),
      fedBy: new Map(),
      variants: new Map(),
      needing: new Map(),
      refutedProducers: new Map(),
      refutedNaming: new Map(),
      starters: [],
      sequential: new Map(),
    };
    for (const [id, kind] of data.kinds) {
      idx.kinds.set(id, kind);
    }
    data.rules.forEach((rule, pos) => {
      idx.kinds.set(rule.id, "rule");
      idx.position.set(rule.id, pos);
    });
    data.rules.forEach((rule, pos) => indexRule(idx, pos, rule));
    for (const [source, target, stated] of data.feeds) {
      if (stated || !statedOnly) {
        push(idx.feedsTo, source, target);
        push(idx.fedBy, target, source);
      }
    }
    idx.variants = variantsOf(data);
    return idx;
  }

  function indexRule(idx, pos, rule) {
    const mechs = rule.mechs;
    const tied = new Set(mechs.flatMap((m) => m.then));
    idx.mechs.push(mechs);
    const seq = rule.mechs.length ? inRule(rule, mechs) : null;
    if (seq !== null) {
      idx.sequential.set(pos, seq);
    }
    idx.freeThen.push(rule.then.filter((o) => !tied.has(o)));
    idx.freeReduces.push(rule.reduces.filter((o) => !tied.has(o)));
    const required = unique([...rule.contexts, ...rule.modifiers]);
    idx.required.push(required);
    const active = idx.includeRefuted || rule.status !== "refuted";
    idx.active.push(active);
    const fires = active && hasContextCondition(rule);
    idx.fires.push(fires);
    if (!active) {
      idx.refuted.push(pos);
      for (const id of [...rule.then, ...rule.reduces, ...rule.otherwise]) {
        addPos(idx.refutedProducers, id, pos);
      }
      for (const id of [...needs(rule), ...rule.interventions]) {
        addPos(idx.refutedNaming, id, pos);
      }
      return;
    }
    if (!fires) {
      idx.unknown.push(pos);
    }
    const tables = [
      [idx.producers, rule.then],
      [idx.reducers, rule.reduces],
      [idx.fallbacks, rule.otherwise],
      [idx.using, rule.interventions],
      [idx.activators, rule.mechs.map((m) => m.id)],
      [idx.unless, rule.unless],
    ];
    for (const [table, items] of tables) {
      for (const id of items) {
        addPos(table, id, pos);
      }
    }
    if (!fires) {
      return;
    }
    for (const id of required) {
      addPos(idx.waiting, id, pos);
    }
    rule.groups.forEach((group, g) => {
      for (const id of unique(group)) {
        push(idx.inGroup, id, [pos, g]);
      }
    });
    mechs.forEach((m, k) => {
      for (const id of unique(m.requires)) {
        push(idx.requiring, id, [pos, k]);
      }
    });
    for (const id of needs(rule)) {
      addPos(idx.needing, id, pos);
    }
    if (!required.length && !rule.groups.length) {
      idx.starters.push(pos);
    }
  }

  /**
   * The mechanisms of one rule that fire, in firing order (cimo.query._index.in_order):
   * each once what it requires is met, or is an outcome in `gives` that a
   * mechanism fired before it gives.
   */
  function inOrder(mechs, gives, met, usable) {
    const waiting = new Map();
    const left = [];
    const order = [];
    mechs.forEach((m, k) => {
      let n = 0;
      for (const r of unique(m.requires)) {
        if (!met(r)) {
          n += 1;
          push(waiting, r, k);
        }
      }
      left.push(n);
      if (!n && usable(k)) {
        order.push(k);
      }
    });
    const given = new Set();
    for (let i = 0; i < order.length; i++) {
      for (const o of mechs[order[i]].then) {
        if (gives.has(o) && !given.has(o)) {
          given.add(o);
          for (const j of getList(waiting, o)) {
            left[j] -= 1;
            if (!left[j] && usable(j)) {
              order.push(j);
            }
          }
        }
      }
    }
    return order;
  }

  /** How a rule's mechanisms feed each other (cimo.query._index.in_rule), or null. */
  function inRule(rule, mechs) {
    const outcomes = new Set(rule.then);
    const own = new Set(mechs.flatMap((m) => m.then).filter((o) => outcomes.has(o)));
    const inner = new Set(mechs.flatMap((m) => m.requires).filter((r) => own.has(r)));
    if (!inner.size) {
      return null;
    }
    const reached = mechs.map(() => false);
    const giver = new Map();
    for (const k of inOrder(
      mechs,
      inner,
      (r) => !inner.has(r),
      () => true,
    )) {
      reached[k] = true;
      for (const o of mechs[k].then) {
        if (inner.has(o) && !giver.has(o)) {
          giver.set(o, k);
        }
      }
    }
    const outer = mechs.map((m) => unique(m.requires).filter((r) => !inner.has(r)).length);
    return { inner, outer, giver, reached };
  }

  /** What mechanism k needs from outside, and the mechanisms firing on the way (InRule.chain). */
  function chainOf(seq, mechs, k) {
    const queue = [k];
    const seen = new Set([k]);
    const outside = [];
    for (let i = 0; i < queue.length; i++) {
      for (const r of mechs[queue[i]].requires) {
        const g = seq.inner.has(r) ? seq.giver.get(r) : undefined;
        if (g === undefined) {
          outside.push(r);
        } else if (!seen.has(g)) {
          seen.add(g);
          queue.push(g);
        }
      }
    }
    return [unique(outside), queue.map((j) => mechs[j].id)];
  }

  function derivable(idx, item) {
    return idx.producers.has(item) || idx.fallbacks.has(item) || idx.fedBy.has(item);
  }

  // ---------------------------------------------------------------- the forward pass

  class Run {
    constructor(idx, delivered, removed) {
      this.idx = idx;
      this.rules = idx.rules;
      this.delivered = delivered;
      this.removed = removed;
      this.held = new Set();
      this.activated = new Set();
      this.queue = [];
      this.head = 0;
      this.need = new Map();
      this.groups = new Map();
      this.reqs = new Map();
      this.outer = new Map();
      this.state = new Map();
      this.firedMechs = new Map();
      this.thenOf = new Map();
      this.events = [];
      this.blocked = [];
      this.pending = [];
      this.awaiting = [];
      this.partial = [];
    }

    hold(item) {
      if (this.held.has(item) || this.removed.has(item)) {
        return;
      }
      this.held.add(item);
      this.queue.push(item);
    }

    activate(mechanism) {
      if (this.activated.has(mechanism) || this.removed.has(mechanism)) {
        return;
      }
      this.activated.add(mechanism);
      this.queue.push(mechanism);
    }

    reach(target) {
      const kind = this.idx.kinds.get(target);
      if (kind === "mechanism") {
        this.activate(target);
      } else if (kind !== "rule") {
        this.hold(target);
      }
    }

    start(given) {
      for (const item of given) {
        this.hold(item);
      }
      for (const pos of this.idx.starters) {
        this.check(pos);
      }
      this.settle();
    }

    deliveredAll(pos) {
      return this.rules[pos].interventions.every((i) => this.delivered.has(i));
    }

    needOf(pos) {
      const left = this.need.get(pos);
      return left === undefined ? this.idx.required[pos].length : left;
    }

    groupsDone(pos, extra) {
      const wanted = this.rules[pos].groups.length;
      const done = this.groups.get(pos) || new Set();
      if (extra && extra.size) {
        return new Set([...done, ...extra]).size === wanted;
      }
      return done.size === wanted;
    }

    check(pos) {
      if (this.state.has(pos) || !this.deliveredAll(pos)) {
        return;
      }
      if (this.needOf(pos) || !this.groupsDone(pos)) {
        return;
      }
      const rule = this.rules[pos];
      const by = rule.unless.filter((u) => this.held.has(u));
      if (by.length) {
        this.state.set(pos, BLOCKED);
        this.blocked.push([pos, by]);
      } else if (rule.unless.some((u) => derivable(this.idx, u) && !this.removed.has(u))) {
        this.state.set(pos, PENDING);
        this.pending.push(pos);
      } else {
        this.enable(pos);
      }
    }

    enable(pos) {
      this.state.set(pos, ENABLED);
      this.tryFire(pos);
      if (this.state.get(pos) === ENABLED) {
        if (this.couldFire(pos, null)) {
          this.awaiting.push(pos);
        } else {
          this.fall(pos);
        }
      }
    }

    reqsLeft(pos, k) {
      const left = this.reqs.get(pos + ":" + k);
      return left === undefined ? this.idx.mechs[pos][k].requires.length : left;
    }

    mechFires(pos, k) {
      const m = this.idx.mechs[pos][k];
      return !this.removed.has(m.id) && !this.reqsLeft(pos, k);
    }

    couldFire(pos, ahead) {
      const mechs = this.idx.mechs[pos];
      const possible = (m) => {
        if (this.removed.has(m.id)) {
          return false;
        }
        if (ahead !== null) {
          return m.requires.every((r) => this.held.has(r) || ahead.has(r));
        }
        return m.requires.every((r) => this.held.has(r) || derivable(this.idx, r));
      };
      if (!mechs.length) {
        return true;
      }
      if (this.rules[pos].mode === "alternatives") {
        return mechs.some(possible);
      }
      return mechs.every(possible);
    }

    inSequence(pos) {
      const inner = this.idx.sequential.get(pos).inner;
      const mechs = this.idx.mechs[pos];
      const gives = new Set([...inner].filter((o) => !this.removed.has(o)));
      return inOrder(
        mechs,
        gives,
        (r) => this.held.has(r),
        (k) => !this.removed.has(mechs[k].id),
      );
    }

    lookedAtAgain(pos, k, item, left) {
      const seq = this.idx.sequential.get(pos);
      if (seq === undefined) {
        return !left;
      }
      if (seq.inner.has(item)) {
        return true;
      }
      const key = pos + ":" + k;
      const outer = (this.outer.has(key) ? this.outer.get(key) : seq.outer[k]) - 1;
      this.outer.set(key, outer);
      return !outer;
    }

    tryFire(pos, only) {
      const mechs = this.idx.mechs[pos];
      if (!this.firedMechs.has(pos)) {
        this.firedMechs.set(pos, new Set());
      }
      const done = this.firedMechs.get(pos);
      let ready = [];
      if (this.state.get(pos) === FIRED && only !== undefined) {
        if (!done.has(only) && this.mechFires(pos, only)) {
          ready.push(only);
        }
      } else if (this.state.get(pos) !== FIRED && this.idx.sequential.has(pos)) {
        ready = this.inSequence(pos).filter((k) => !done.has(k));
      } else {
        for (let k = 0; k < mechs.length; k++) {
          if (!done.has(k) && this.mechFires(pos, k)) {
            ready.push(k);
          }
        }
      }
      const rule = this.rules[pos];
      if (this.state.get(pos) !== FIRED) {
        const alternatives = rule.mode === "alternatives";
        if (mechs.length && !(alternatives ? ready.length : ready.length === mechs.length)) {
          return;
        }
        this.state.set(pos, FIRED);
        this.events.push([pos, FIRED]);
        for (const o of this.idx.freeThen[pos]) {
          this.hold(o);
        }
        for (const target of getList(this.idx.feedsTo, rule.id)) {
          this.reach(target);
        }
        const live = mechs.filter((m) => !this.removed.has(m.id)).length;
        if (alternatives && ready.length < live) {
          this.partial.push(pos);
        }
      }
      if (!ready.length) {
        return;
      }
      if (!this.thenOf.has(pos)) {
        this.thenOf.set(pos, new Set(rule.then));
      }
      const then = this.thenOf.get(pos);
      for (const k of ready) {
        done.add(k);
        this.activate(mechs[k].id);
        for (const o of mechs[k].then) {
          if (then.has(o)) {
            this.hold(o);
          }
        }
      }
    }

    fall(pos) {
      this.state.set(pos, FALLEN);
      this.events.push([pos, FALLEN]);
      for (const o of this.rules[pos].otherwise) {
        this.hold(o);
      }
    }

    drain() {
      const idx = this.idx;
      while (this.head < this.queue.length) {
        const item = this.queue[this.head++];
        for (const target of getList(idx.feedsTo, item)) {
          this.reach(target);
        }
        if (this.activated.has(item)) {
          continue;
        }
        for (const pos of getList(idx.waiting, item)) {
          const left = this.needOf(pos) - 1;
          this.need.set(pos, left);
          if (left === 0) {
            this.check(pos);
          }
        }
        for (const [pos, g] of getList(idx.inGroup, item)) {
          if (!this.groups.has(pos)) {
            this.groups.set(pos, new Set());
          }
          const done = this.groups.get(pos);
          if (!done.has(g)) {
            done.add(g);
            if (done.size === this.rules[pos].groups.length) {
              this.check(pos);
            }
          }
        }
        for (const [pos, k] of getList(idx.requiring, item)) {
          const left = this.reqsLeft(pos, k) - 1;
          this.reqs.set(pos + ":" + k, left);
          const state = this.state.get(pos);
          if (state === FIRED) {
            if (!left) {
              this.tryFire(pos, k);
            }
          } else if (this.lookedAtAgain(pos, k, item, left)) {
            if (state === ENABLED || state === FALLEN) {
              this.tryFire(pos);
            }
          }
        }
      }
    }

    outputs(pos) {
      const rule = this.rules[pos];
      const mechs = this.idx.mechs[pos].filter((m) => !this.removed.has(m.id));
      const out = [...this.idx.freeThen[pos], ...mechs.flatMap((m) => m.then)];
      out.push(...mechs.map((m) => m.id));
      out.push(...getList(this.idx.feedsTo, rule.id));
      if (this.state.get(pos) !== FIRED) {
        out.push(...rule.otherwise);
      }
      return out;
    }

    couldHold(seeds) {
      const idx = this.idx;
      const extraNeed = new Map();
      const extraGroups = new Map();
      const seeded = new Set(seeds);
      const out = new Set();
      const stack = seeds.flatMap((pos) => this.outputs(pos));
      const ready = (pos) => {
        const left = extraNeed.has(pos) ? extraNeed.get(pos) : this.needOf(pos);
        return (
          !seeded.has(pos) &&
          !this.state.has(pos) &&
          !left &&
          this.groupsDone(pos, extraGroups.get(pos)) &&
          this.deliveredAll(pos)
        );
      };
      while (stack.length) {
        const item = stack.pop();
        if (out.has(item) || this.held.has(item) || this.activated.has(item)) {
          continue;
        }
        if (this.removed.has(item)) {
          continue;
        }
        out.add(item);
        for (const t of getList(idx.feedsTo, item)) {
          if (idx.kinds.get(t) !== "rule") {
            stack.push(t);
          }
        }
        const woken = [];
        for (const pos of getList(idx.waiting, item)) {
          const left = extraNeed.has(pos) ? extraNeed.get(pos) : this.needOf(pos);
          extraNeed.set(pos, left - 1);
          woken.push(pos);
        }
        for (const [pos, g] of getList(idx.inGroup, item)) {
          if (!extraGroups.has(pos)) {
            extraGroups.set(pos, new Set());
          }
          extraGroups.get(pos).add(g);
          woken.push(pos);
        }
        for (const pos of woken) {
          if (ready(pos)) {
            seeded.add(pos);
            stack.push(...this.outputs(pos));
          }
        }
      }
      return out;
    }

    settle() {
      for (;;) {
        this.drain();
        const undecided = [];
        for (const pos of this.pending) {
          if (this.state.get(pos) !== PENDING) {
            continue;
          }
          const by = this.rules[pos].unless.filter((u) => this.held.has(u));
          if (by.length) {
            this.state.set(pos, BLOCKED);
            this.blocked.push([pos, by]);
          } else {
            undecided.push(pos);
          }
        }
        const waiting = this.awaiting.filter((p) => this.state.get(p) === ENABLED);
        this.pending = undecided;
        this.awaiting = waiting;
        if (!undecided.length && !waiting.length) {
          return;
        }
        const partial = this.partial.filter((p) => this.state.get(p) === FIRED);
        const ahead = this.couldHold([...undecided, ...waiting, ...partial]);
        const safe = undecided.filter((p) => !this.rules[p].unless.some((u) => ahead.has(u)));
        const falls = waiting.filter((p) => !this.couldFire(p, ahead));
        if (!safe.length && !falls.length) {
          (undecided.length ? safe : falls).push((undecided.length ? undecided : waiting)[0]);
        }
        for (const pos of safe) {
          this.enable(pos);
        }
        for (const pos of falls) {
          if (this.state.get(pos) === ENABLED) {
            this.fall(pos);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- scenario

  function derivationsOf(run, pos, effect) {
    const idx = run.idx;
    const rule = run.rules[pos];
    const used = [...idx.required[pos]];
    for (const group of rule.groups) {
      used.push(...group.filter((c) => run.held.has(c)));
    }
    used.push(...rule.interventions);
    if (effect === FALLEN) {
      const from = unique(used);
      return rule.otherwise.map((o) => ({
        outcome: o,
        rule: rule.id,
        effect: "otherwise",
        from,
        because: [],
      }));
    }
    const ks = [...(run.firedMechs.get(pos) || [])].sort((a, b) => a - b);
    const mechs = ks.map((k) => idx.mechs[pos][k]);
    for (const m of mechs) {
      used.push(...m.requires);
    }
    const because = mechs.map((m) => m.id);
    const from = unique(used);
    const tied = new Set(mechs.flatMap((m) => m.then));
    const out = [];
    const slots = [
      ["then", rule.then, new Set(idx.freeThen[pos])],
      ["reduces", rule.reduces, new Set(idx.freeReduces[pos])],
    ];
    for (const [name, items, free] of slots) {
      for (const o of items) {
        if (free.has(o) || tied.has(o)) {
          out.push({ outcome: o, rule: rule.id, effect: name, from, because });
        }
      }
    }
    return out;
  }

  function setAsideOf(run) {
    const idx = run.idx;
    const out = [];
    for (const pos of idx.refuted) {
      const rule = idx.rules[pos];
      if (
        hasContextCondition(rule) &&
        idx.required[pos].every((c) => run.held.has(c)) &&
        rule.groups.every((g) => g.some((c) => run.held.has(c))) &&
        rule.interventions.every((i) => run.delivered.has(i))
      ) {
        out.push(rule.id);
      }
    }
    return out;
  }

  const indexCache = new WeakMap();

  function indexFor(data, includeRefuted, statedOnly) {
    let perData = indexCache.get(data);
    if (!perData) {
      perData = new Map();
      indexCache.set(data, perData);
    }
    const key = String(Boolean(includeRefuted)) + String(Boolean(statedOnly));
    if (!perData.has(key)) {
      perData.set(key, buildIndex(data, Boolean(includeRefuted), Boolean(statedOnly)));
    }
    return perData.get(key);
  }

  /**
   * What a theory expects in given circumstances (cimo.query.scenario).
   *
   * @param {object} data the reasoning data of a theory
   * @param {object} options contexts, interventions, without, includeRefuted, statedOnly
   * @returns {object} the keys of Scenario.model_dump(mode="json") that reasoning fills
   */
  function scenario(data, options) {
    const opts = options || {};
    const idx = indexFor(data, opts.includeRefuted, opts.statedOnly);
    const given = sorted(new Set(opts.contexts || []));
    const interventions = sorted(new Set(opts.interventions || []));
    const without = sorted(new Set(opts.without || []));
    const removed = new Set(without);
    const run = new Run(idx, new Set(interventions.filter((i) => !removed.has(i))), removed);
    run.start(given);
    const rules = idx.rules;
    const derivations = [];
    for (const [pos, what] of run.events) {
      derivations.push(...derivationsOf(run, pos, what));
    }
    const qualified = [];
    for (const [pos, what] of run.events) {
      const rule = rules[pos];
      if (what === FIRED && (rule.moderators.length || rule.despite.length)) {
        const mod = rule.moderators.filter((c) => run.held.has(c));
        const despite = rule.despite.filter((c) => run.held.has(c));
        if (mod.length || despite.length) {
          qualified.push({ rule: rule.id, moderated_by: mod, despite });
        }
      }
    }
    return {
      contexts: given,
      interventions,
      without,
      fired_rules: run.events.filter((e) => e[1] === FIRED).map((e) => rules[e[0]].id),
      blocked_rules: run.blocked.map((b) => rules[b[0]].id),
      blockers: run.blocked.map((b) => ({ rule: rules[b[0]].id, by: b[1] })),
      withheld_rules: run.events.filter((e) => e[1] === FALLEN).map((e) => rules[e[0]].id),
      mechanisms: sorted(run.activated),
      outcomes: sorted(
        new Set(derivations.filter((d) => d.effect !== "reduces").map((d) => d.outcome)),
      ),
      reduced: sorted(
        new Set(derivations.filter((d) => d.effect === "reduces").map((d) => d.outcome)),
      ),
      holding: sorted(run.held),
      derivations,
      qualified,
      set_aside: setAsideOf(run),
    };
  }

  // ---------------------------------------------------------------- for whom

  function makers(idx, item) {
    const rules = getList(idx.producers, item).map((p) => [p, "then"]);
    rules.push(...getList(idx.fallbacks, item).map((p) => [p, "otherwise"]));
    const items = [];
    for (const source of getList(idx.fedBy, item)) {
      const kind = idx.kinds.get(source);
      if (kind === "rule") {
        const pos = idx.position.get(source);
        if (idx.active[pos]) {
          rules.push([pos, "fires"]);
        }
      } else if (kind === "mechanism") {
        rules.push(...getList(idx.activators, source).map((p) => [p, "activates"]));
      } else if (kind !== undefined) {
        items.push(source);
      }
    }
    return [rules, items];
  }

  function union(target, items) {
    for (const x of items) {
      target.add(x);
    }
    return target;
  }

  function* product(parts) {
    if (parts.some((p) => !p.length)) {
      return;
    }
    const at = parts.map(() => 0);
    for (;;) {
      yield parts.map((p, i) => p[at[i]]);
      let i = parts.length - 1;
      while (i >= 0) {
        at[i] += 1;
        if (at[i] < parts[i].length) {
          break;
        }
        at[i] = 0;
        i -= 1;
      }
      if (i < 0) {
        return;
      }
    }
  }

  function join(combo, interventions, ruleId, unlessItems, without, uses) {
    const contexts = new Set();
    const blockedBy = new Set(unlessItems);
    const notFiring = new Set(without);
    const firing = new Set(uses);
    const given = new Set(interventions);
    const chain = [];
    for (const c of combo) {
      union(contexts, c.contexts);
      union(blockedBy, c.unless);
      union(notFiring, c.without);
      union(firing, c.uses);
      union(given, c.interventions);
      chain.push(...c.rules);
    }
    for (const x of contexts) {
      if (blockedBy.has(x)) {
        return null;
      }
    }
    for (const x of notFiring) {
      if (firing.has(x)) {
        return null;
      }
    }
    return {
      contexts,
      interventions: given,
      rules: [...unique(chain), ruleId],
      unless: blockedBy,
      without: notFiring,
      uses: firing,
    };
  }

  const STEPS_PER_RESULT = 1000;

  class Sets {
    constructor(idx, limit) {
      this.idx = idx;
      this.limit = limit;
      this.truncated = false;
      this.steps = limit * STEPS_PER_RESULT;
      this.unknown = new Set();
      this.behind = new Set();
    }

    ofItem(item, path) {
      this.steps -= 1;
      if (this.steps < 0) {
        this.truncated = true;
        return [];
      }
      this.behind.add(item);
      let options = [];
      if (this.idx.kinds.get(item) === "context") {
        options.push({
          contexts: new Set([item]),
          interventions: new Set(),
          rules: [],
          unless: new Set(),
          without: new Set(),
          uses: new Set(),
        });
      }
      const here = new Set(path).add(item);
      const [rules, items] = makers(this.idx, item);
      for (const [pos, how] of rules) {
        options = options.concat(this.ofRule(pos, here, how, item));
        if (options.length >= this.limit) {
          this.truncated = true;
          return options.slice(0, this.limit);
        }
      }
      for (const source of items) {
        if (!here.has(source)) {
          options = options.concat(this.ofItem(source, here));
        }
        if (options.length >= this.limit) {
          this.truncated = true;
          return options.slice(0, this.limit);
        }
      }
      return options;
    }

    mechOptions(pos, how, target) {
      const idx = this.idx;
      const mechs = idx.mechs[pos];
      const alternatives = idx.rules[pos].mode === "alternatives";
      if (how === "otherwise") {
        if (!mechs.length) {
          return [];
        }
        if (alternatives) {
          return [[[], [], mechs.map((m) => m.id)]];
        }
        const byId = new Map();
        for (const m of mechs) {
          byId.set(m.id, m);
        }
        return Array.from(byId.values()).map((m) => [[], [], [m.id]]);
      }
      if (!mechs.length) {
        return [[[], [], []]];
      }
      let tied;
      if (how === "activates") {
        const feeding = getList(idx.fedBy, target);
        tied = mechs.filter((m) => feeding.includes(m.id));
      } else if (how === "then") {
        tied = mechs.filter((m) => m.then.includes(target));
      } else {
        tied = [];
      }
      const seq = idx.sequential.get(pos);
      if (alternatives) {
        const out = [];
        mechs.forEach((m, k) => {
          if (!tied.length || tied.includes(m)) {
            const reached = seq !== undefined && seq.reached[k];
            out.push(reached ? [...chainOf(seq, mechs, k), []] : [m.requires, [m.id], []]);
          }
        });
        return out;
      }
      const inside = seq !== undefined && seq.reached.every(Boolean) ? seq.giver : new Map();
      const requires = unique(mechs.flatMap((m) => m.requires.filter((r) => !inside.has(r))));
      return [[requires, mechs.map((m) => m.id), []]];
    }

    ofRule(pos, path, how, target) {
      const idx = this.idx;
      if (path.has(pos)) {
        return [];
      }
      if (!idx.fires[pos]) {
        this.unknown.add(pos);
        return [];
      }
      const here = new Set(path).add(pos);
      const rule = idx.rules[pos];
      const out = [];
      for (const [requires, uses, without] of this.mechOptions(pos, how, target)) {
        const needed = unique([...idx.required[pos], ...requires]);
        const parts = needed.map((c) => this.ofItem(c, here));
        for (const group of rule.groups) {
          parts.push(unique(group).flatMap((m) => this.ofItem(m, here)));
        }
        let tried = 0;
        for (const combo of product(parts)) {
          // every further combination tried is a step, as in cimo/query/_for_whom.py
          if (tried > 0) {
            this.steps -= 1;
            if (this.steps < 0) {
              this.truncated = true;
              return out;
            }
          }
          tried += 1;
          const option = join(combo, rule.interventions, rule.id, rule.unless, without, uses);
          if (option !== null) {
            out.push(option);
          }
          if (out.length >= this.limit) {
            this.truncated = true;
            return out;
          }
        }
      }
      return out;
    }
  }

  function subset(a, b) {
    for (const x of a) {
      if (!b.has(x)) {
        return false;
      }
    }
    return true;
  }

  function sameSet(a, b) {
    return a.size === b.size && subset(a, b);
  }

  function minimal(routes) {
    const keyOf = (o) =>
      JSON.stringify([
        sorted(o.contexts),
        sorted(o.interventions),
        sorted(o.unless),
        sorted(o.without),
      ]);
    const uniqueRoutes = new Map();
    for (const route of routes) {
      const key = keyOf(route[0]);
      const best = uniqueRoutes.get(key);
      if (best === undefined || route[0].rules.length < best[0].rules.length) {
        uniqueRoutes.set(key, route);
      }
    }
    const keys = Array.from(uniqueRoutes.values()).map((r) => r[0]);
    // Python's key is (contexts, interventions, unless, without); ``smaller`` compares
    // key[0], key[1], key[3] for sameness and all four for inclusion.
    const smaller = (a, b) => {
      const same =
        sameSet(a.contexts, b.contexts) &&
        sameSet(a.interventions, b.interventions) &&
        sameSet(a.without, b.without);
      return (
        !same &&
        subset(a.contexts, b.contexts) &&
        subset(a.interventions, b.interventions) &&
        subset(a.unless, b.unless) &&
        subset(a.without, b.without)
      );
    };
    const values = Array.from(uniqueRoutes.values());
    return values.filter((route) => !keys.some((o) => smaller(o, route[0])));
  }

  /**
   * The circumstances under which an outcome is expected (cimo.query.for_whom).
   *
   * @param {object} data the reasoning data of a theory
   * @param {string} outcome the id of an outcome
   * @param {object} options limit, includeRefuted, statedOnly
   * @returns {object} the keys of ForWhom.model_dump(mode="json")
   */
  function forWhom(data, outcome, options) {
    const opts = options || {};
    const limit = opts.limit === undefined ? 100 : opts.limit;
    const idx = indexFor(data, opts.includeRefuted, opts.statedOnly);
    const finder = new Sets(idx, limit);
    const routes = [];
    const targets = [outcome, ...getList(idx.variants, outcome)];
    for (const target of targets) {
      for (const o of finder.ofItem(target, new Set())) {
        routes.push([o, target]);
      }
    }
    const sets = minimal(routes).map(([o, target]) => ({
      contexts: sorted(o.contexts),
      interventions: sorted(o.interventions),
      rules: o.rules,
      unless: sorted(o.unless),
      without: sorted(o.without),
      outcome: target === outcome ? null : target,
    }));
    const behindPositions = [];
    for (const item of finder.behind) {
      behindPositions.push(...getList(idx.refutedProducers, item));
    }
    const setAside = unique(behindPositions)
      .sort((a, b) => a - b)
      .filter((p) => !idx.active[p])
      .map((p) => idx.rules[p].id);
    return {
      outcome,
      sets,
      blockers: sorted(new Set(sets.flatMap((s) => s.unless))),
      variants: getList(idx.variants, outcome),
      unknown: Array.from(finder.unknown)
        .sort((a, b) => a - b)
        .map((p) => idx.rules[p].id),
      set_aside: setAside,
      truncated: finder.truncated,
    };
  }

  root.cimoEngine = { buildIndex, scenario, forWhom, hasContextCondition };
})(typeof window !== "undefined" ? window : globalThis);
