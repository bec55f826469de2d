// The JavaScript consumers of cimo's exports, run by tests/test_consumers.py.
// usage: node consume.mjs KIND FILE...   (KIND: gexf, graphology, d3, cytoscape, mermaid, drawio)
// Prints one JSON list: what the consumer made of each file (or {"error": message}).
import {readFileSync} from 'fs';
import {createRequire} from 'module';
import Graph from 'graphology';
import gexf from 'graphology-gexf';

const require = createRequire(import.meta.url);
const [kind, ...files] = process.argv.slice(2);

function withDom() {
  const {JSDOM} = require('jsdom');
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  for (const k of ['window', 'document', 'navigator', 'DOMParser', 'XMLSerializer', 'Node', 'Element']) {
    globalThis[k] = k === 'window' ? dom.window : dom.window[k];
  }
}

function summary(g) {
  const kinds = {};
  g.forEachNode((key, attrs) => { kinds[key] = attrs.kind; });
  const slots = {};
  g.forEachEdge((key, attrs) => { slots[attrs.slot] = (slots[attrs.slot] || 0) + 1; });
  return {order: g.order, size: g.size, type: g.type, attributes: g.getAttributes(), kinds, slots};
}

const readers = {
  // Gephi Lite's GEXF parser.
  gexf: (text) => summary(gexf.parse(Graph, text)),
  // graphology's own serialisation, as Graph.from / graph.import take it.
  graphology: (text) => summary(Graph.from(JSON.parse(text))),
  // D3's canonical force layout: forceLink(data.links).id(d => d.id).
  d3: async (text) => {
    const {forceSimulation, forceLink, forceManyBody} = await import('d3-force');
    const data = JSON.parse(text);
    const sim = forceSimulation(data.nodes)
      .force('link', forceLink(data.links).id((d) => d.id))
      .force('charge', forceManyBody()).stop();
    sim.tick(50);
    const resolved = data.links.filter((l) => typeof l.source === 'object' && typeof l.target === 'object');
    return {nodes: data.nodes.length, links: data.links.length, resolved: resolved.length,
      placed: data.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))};
  },
  // Cytoscape.js, headless: the elements and the stylesheet as cytoscape() takes them.
  cytoscape: async (text) => {
    const {default: cytoscape} = await import('cytoscape');
    const data = JSON.parse(text);
    const cy = cytoscape({headless: true, elements: data.elements, style: data.style, data: data.data});
    const kinds = {};
    cy.nodes().forEach((n) => { kinds[n.id()] = n.data('kind'); });
    return {nodes: cy.nodes().length, edges: cy.edges().length, kinds,
      classes: [...new Set(cy.nodes().map((n) => n.classes().join(' ')))].sort(),
      dangling: cy.edges().filter((e) => e.source().empty() || e.target().empty()).length,
      title: cy.data('title')};
  },
  // mermaid's own parser (under jsdom: mermaid needs a DOM to load).
  mermaid: async (text) => {
    const {default: mermaid} = await import('mermaid');
    mermaid.initialize({startOnLoad: false});
    const result = await mermaid.parse(text);
    return {diagramType: result.diagramType};
  },
  // draw.io's model: mxGraph's codec decodes the <mxGraphModel> into cells.
  drawio: (text) => {
    const mx = require('mxgraph')({mxLoadResources: false, mxLoadStylesheets: false});
    for (const [k, v] of Object.entries(mx)) { globalThis.window[k] = v; }
    const doc = mx.mxUtils.parseXml(text);
    const node = doc.getElementsByTagName('mxGraphModel')[0];
    const model = new mx.mxGraphModel();
    new mx.mxCodec(doc).decode(node, model);
    const cells = Object.values(model.cells);
    const parent = {};
    let edges = 0, joined = 0;
    for (const c of cells) {
      if (model.isVertex(c)) parent[c.id] = c.parent ? c.parent.id : null;
      if (model.isEdge(c)) { edges += 1; if (c.source && c.target) joined += 1; }
    }
    return {cells: cells.length, parent, edges, joined,
      lanes: cells.filter((c) => model.isVertex(c) && (c.style || '').startsWith('swimlane')).map((c) => c.value)};
  },
};

if (['mermaid', 'drawio'].includes(kind)) withDom();
const out = [];
for (const file of files) {
  try {
    out.push(await readers[kind](readFileSync(file, 'utf8')));
  } catch (err) {
    out.push({error: String(err && err.message || err).slice(0, 500)});
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
