/*
 * Draws every chart on the page. Each chart container names, in its data-chart
 * attribute, the id of the <script type="application/json"> element (Django's
 * json_script) that holds its figure as {data, layout}; the figures are built as
 * plain dicts on the server (targets/charts.py, projects/charts.py).
 *
 * No inline script or event handler anywhere: this file is the only code.
 */
(function () {
  "use strict";

  var CONFIG = {
    // Registered in our plotly.js bundle (static/vendor/build/build.mjs).
    locale: "zh-CN",
    responsive: true,
    displaylogo: false,
    // plotly.js 4 offers to post the chart's data to Plotly's cloud by default: the
    // district's figures stay on the district's machines.
    showSendToCloud: false,
    plotlyServerURL: "",
    displayModeBar: "hover",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: { format: "png", scale: 2, filename: "chart" }
  };
  // A phone has no hover: a tap would open the toolbar over the plot itself, covering
  // the bars it was meant to explain. There the chart shows no toolbar at all.
  var NARROW = "(max-width: 640px)";

  function config() {
    var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
    return Object.assign({}, CONFIG, { displayModeBar: narrow ? false : "hover" });
  }

  // Width of a chart on an A4 page (portrait, 12 mm margins) in CSS pixels.
  var PRINT_WIDTH = 680;

  function containers() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    if (layout.height) {
      container.style.height = layout.height + "px";
    }
    Plotly.newPlot(container, figure.data || [], layout, config()).then(function () {
      container.setAttribute("data-drawn", "true");
    });
  }

  function drawn() {
    return containers().filter(function (el) {
      return el.getAttribute("data-drawn") === "true";
    });
  }

  // The screen layout may be wider than the paper: fit each chart to the page
  // while printing, and give it back to the window afterwards.
  function fitForPrint() {
    drawn().forEach(function (el) {
      Plotly.relayout(el, { width: PRINT_WIDTH });
    });
  }

  function fitForScreen() {
    drawn().forEach(function (el) {
      Plotly.relayout(el, { width: null, autosize: true }).then(function () {
        Plotly.Plots.resize(el);
      });
    });
  }

  function start() {
    var charts = containers();
    if (!charts.length) {
      return;
    }
    if (typeof window.Plotly === "undefined") {
      charts.forEach(function (el) {
        el.classList.add("chart-error");
        el.textContent = "图表组件未能加载，请刷新页面。";
      });
      return;
    }
    charts.forEach(draw);
    window.addEventListener("beforeprint", fitForPrint);
    window.addEventListener("afterprint", fitForScreen);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
