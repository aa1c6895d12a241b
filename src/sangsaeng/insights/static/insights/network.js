// Draws the collaboration network with the vendored cytoscape.js from the JSON the server
// wrote beside it: no inline script, so the site's Content-Security-Policy holds.
(function () {
  const box = document.getElementById("network-graph");
  const source = document.getElementById("network-elements");
  if (!box || !source || typeof cytoscape === "undefined") {
    return;
  }
  const elements = JSON.parse(source.textContent);
  const nodes = elements.filter((e) => !e.data.source).length;
  const colours = {
    company: "#1f5fa8",
    university: "#c0392b",
    research_institute: "#2e8b57",
    government: "#8e44ad",
    support_agency: "#d4860b",
  };
  const started = performance.now();
  const cy = cytoscape({
    container: box,
    elements: elements,
    // Large graphs: a grid is instant; a force layout for the smaller ones.
    layout: nodes > 800 ? { name: "grid" } : { name: "cose", animate: false, randomize: false },
    textureOnViewport: nodes > 800,
    hideEdgesOnViewport: nodes > 800,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": (n) => colours[n.data("kind")] || "#666",
          label: nodes > 300 ? "" : "data(label)",
          "font-size": 9,
          width: (n) => 8 + Math.min(30, 2 * n.data("degree")),
          height: (n) => 8 + Math.min(30, 2 * n.data("degree")),
        },
      },
      { selector: "edge", style: { width: (e) => Math.min(6, e.data("weight")), "line-color": "#9aa5b1" } },
      { selector: "node:selected", style: { label: "data(label)", "border-width": 3, "border-color": "#222" } },
    ],
  });
  cy.ready(() => {
    const ms = Math.round(performance.now() - started);
    box.dataset.drawnMs = String(ms);
    box.dataset.ready = "true";
  });
  cy.on("tap", "node", (event) => {
    const status = document.getElementById("network-status");
    if (status) {
      status.textContent = event.target.data("label") + " (" + event.target.data("degree") + ")";
    }
  });
})();
