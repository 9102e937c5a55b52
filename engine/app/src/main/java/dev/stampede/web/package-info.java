/**
 * The live web page of {@code stampede run --web}: {@link dev.stampede.web.WebUi} serves a start
 * form, statistics and charts that update every second, stop and reset buttons and downloads of
 * the last run's CSV, JSON and HTML report. It starts runs through a {@link dev.stampede.web.RunStarter}
 * that the command line supplies. The page renders {@link dev.stampede.report.RunView}'s JSON with
 * the same markup, script and uPlot charts as the self-contained HTML report
 * ({@link dev.stampede.report.HtmlReport}, {@link dev.stampede.report.WebAssets}).
 *
 * <p>Inside, one class a concern: access ({@code HostFilter}, {@code BasicAuthFilter},
 * {@code CsrfFilter}, JDK {@code Filter}s in that order), routing ({@code Routes}, {@code Downloads},
 * {@code Responses}), the form ({@code StartForm}), the run state machine ({@code RunControl}) and
 * the state JSON ({@code StateView}).
 */
package dev.stampede.web;
