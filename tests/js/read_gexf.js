// Read a GEXF file with graphology-gexf (the reader of Gephi Lite and sigma.js) and print what
// it found as JSON: the graph's type, and every node and edge with its attributes.
"use strict";
const fs = require("fs");
const { MultiGraph } = require("graphology");
const gexf = require("graphology-gexf");

const text = fs.readFileSync(process.argv[2], "utf-8");
const graph = gexf.parse(MultiGraph, text);
const out = {
  type: graph.type,
  attributes: graph.getAttributes(),
  nodes: graph.mapNodes((key, attributes) => ({ key, attributes })),
  edges: graph.mapEdges((key, attributes, source, target, sa, ta, undirected) => ({ key, source, target, undirected, attributes })),
};
process.stdout.write(JSON.stringify(out));
