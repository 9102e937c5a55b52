/**
 * KPI definitions: what a run promises ({@link dev.stampede.kpi.Kpi}, {@link dev.stampede.kpi.Metric},
 * {@link dev.stampede.kpi.AbortOnFail}) and their file ({@link dev.stampede.kpi.KpiFile}). Judging
 * a run against them is the application's gate ({@code dev.stampede.gate}); the CloudWatch
 * listener turns them into alarms.
 */
package dev.stampede.kpi;
