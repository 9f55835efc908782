// uPlot from its WebJar, by a path with the WebJar's version (filled in at build time). A module of its own rather
// than an import map: an import map is an inline script, which the hub's Content-Security-Policy refuses.
export { default } from './webjars/uplot/${uplot.version}/dist/uPlot.esm.js';
