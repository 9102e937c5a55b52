/**
 * The live web page of {@code stampede run --web}: {@link dev.stampede.web.WebUi} serves a start
 * form, statistics and charts that update every second, stop and reset buttons and downloads of
 * the last run's CSV, JSON and HTML report. It starts runs through a {@link dev.stampede.web.RunStarter}
 * that the command line supplies. {@link dev.stampede.web.RunView} is the JSON both the page and
 * the self-contained HTML report ({@link dev.stampede.report.HtmlReport}) render with the same
 * script and uPlot charts ({@link dev.stampede.web.WebAssets}).
 */
package dev.stampede.web;
