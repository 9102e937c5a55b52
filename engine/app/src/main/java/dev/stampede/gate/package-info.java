/**
 * The KPI gate: a run's result judged against its KPIs ({@link dev.stampede.gate.KpiEvaluator}),
 * during the run (abort on fail) and after it (verdict table, JUnit XML, exit code).
 */
package dev.stampede.gate;
