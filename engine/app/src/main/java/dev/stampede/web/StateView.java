package dev.stampede.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stampede.Snapshot;
import dev.stampede.config.Durations;
import dev.stampede.engine.LoadTest;
import dev.stampede.report.RunView;
import dev.stampede.stats.RunStats;
import java.time.Instant;
import java.util.List;

/**
 * The JSON of {@code GET /api/state}: the {@link RunView} of the live run (or of the last finished
 * one), plus the state, the last error and the start form's defaults.
 */
final class StateView {

  private StateView() {}

  /** The page's data: state, error, form defaults and the live or last run's view. */
  static ObjectNode of(RunControl.Status status, WebRunRequest defaults) {
    ObjectNode root;
    if (status.running() != null) {
      root = live(status.running(), status.request(), defaults);
    } else if (status.downloads()) {
      root = RunView.finished(status.lastOutcome(), status.lastKpis());
    } else {
      root = RunView.newObject();
      RunView.statistics(root, List.of(), null);
      RunView.history(root, List.of());
    }
    root.put("state", status.state().label());
    root.put("live", status.running() != null);
    root.put("downloads", status.downloads());
    if (status.error() != null) {
      root.put("error", status.error());
    }
    ObjectNode form = root.putObject("defaults");
    form.put("users", defaults.users());
    form.put("spawn_rate", defaults.spawnRate());
    form.put("host", defaults.host() == null ? "" : defaults.host());
    form.put("run_time", defaults.runTime() == null ? "" : Durations.format(defaults.runTime()));
    return root;
  }

  private static ObjectNode live(LoadTest running, WebRunRequest request, WebRunRequest defaults) {
    ObjectNode root = RunView.newObject();
    ObjectNode run = root.putObject("run");
    RunStats stats = running.stats();
    Snapshot snapshot = stats == null ? null : stats.lastSnapshot();
    String host = request != null && request.host() != null ? request.host() : defaults.host();
    run.put("host", host == null ? "" : host);
    run.put("users", running.activeUsers());
    if (stats != null) {
      run.put("started_at", Instant.ofEpochMilli(stats.startMillis()).toString());
      run.put("duration_s", RunView.round(stats.elapsedSeconds(System.currentTimeMillis())));
    }
    if (snapshot != null) {
      RunView.statistics(root, snapshot.endpoints(), snapshot.total());
    } else {
      RunView.statistics(root, List.of(), null);
    }
    RunView.history(root, stats == null ? List.of() : stats.history().points());
    RunView.failures(root, stats == null ? List.of() : stats.failures());
    return root;
  }
}
