package dev.stampede.cli;

/**
 * Every option group of {@code stampede run}, as the command line set them: what {@link RunPlanner}
 * builds a run from. Tests make the groups with {@code new} and set their fields, without picocli.
 */
record RunOptions(ScenarioOptions scenario, LoadOptions load, ExportOptions export, OutputOptions output,
    VerdictOptions verdict, WebOptions web, HttpClientOptions http, TlsOptions tls, ShardOptions shard) {}
