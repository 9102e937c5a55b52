package dev.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stampede.config.ConfigException;
import dev.stampede.engine.RunOutcome;
import dev.stampede.gate.Verdict;
import dev.stampede.report.HtmlReport.KpiRow;
import dev.stampede.web.RunControl.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run state machine on its own, without HTTP. */
class RunControlTest {

  private static final WebRunRequest ONE_USER = new WebRunRequest(1, 1, null, null);

  private WebTestTarget target;
  private RunControl control;
  private final List<RunOutcome> finished = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startTarget() throws IOException {
    target = new WebTestTarget();
  }

  @AfterEach
  void stopAll() {
    if (control != null) {
      control.stopAndAwait(Duration.ofSeconds(30));
    }
    target.close();
  }

  private RunControl control(RunStarter starter) {
    control = new RunControl(starter,
        outcome -> List.of(new KpiRow("requests", "", "> 0", Verdict.Status.PASSED, "")), finished::add);
    return control;
  }

  @Test
  void goesFromIdleToRunningToFinishedAndBackToIdleOnReset() {
    RunControl control = control(target.starter());
    assertThat(control.status().state()).isEqualTo(State.IDLE);

    control.start(ONE_USER);
    assertThat(control.status().state()).isEqualTo(State.RUNNING);
    assertThat(control.status().running()).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> target.served() > 0);
    control.stop();
    assertThat(control.status().state()).isIn(State.STOPPING, State.FINISHED);
    await().atMost(Duration.ofSeconds(30)).until(() -> control.status().state() == State.FINISHED);

    RunControl.Status done = control.status();
    assertThat(done.running()).isNull();
    assertThat(done.downloads()).isTrue();
    assertThat(done.lastKpis()).extracting(KpiRow::name).containsExactly("requests");
    // onFinished ran before the state said FINISHED.
    assertThat(finished).containsExactly(done.lastOutcome());

    control.reset();
    assertThat(control.status().state()).isEqualTo(State.IDLE);
    assertThat(control.status().lastOutcome()).isNull();
    assertThat(control.status().downloads()).isFalse();
  }

  @Test
  void runsOneTestAtATime() {
    RunControl control = control(target.starter());
    control.start(ONE_USER);

    assertThatThrownBy(() -> control.start(ONE_USER)).isInstanceOf(RunControl.Conflict.class)
        .hasMessage("a run is already going on; stop it first");
    assertThat(control.status().state()).isEqualTo(State.RUNNING);
  }

  @Test
  void refusesStopWhenNothingRuns() {
    RunControl control = control(target.starter());

    assertThatThrownBy(control::stop).isInstanceOf(RunControl.Conflict.class).hasMessage("no run is going on");
    assertThat(control.status().state()).isEqualTo(State.IDLE);
  }

  @Test
  void aStartTheStarterRefusesLeavesTheStateAsItWas() {
    RunControl control = control(request -> {
      throw new ConfigException("--scenario Shop.java does not compile");
    });

    assertThatThrownBy(() -> control.start(ONE_USER)).isInstanceOf(ConfigException.class);
    assertThat(control.status().state()).isEqualTo(State.IDLE);
    assertThat(control.status().error()).isNull();
    assertThatThrownBy(() -> control(request -> null).start(ONE_USER)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the run starter returned no load test");
    assertThat(this.control.status().state()).isEqualTo(State.IDLE);
  }

  @Test
  void aFinishedRunEndsOnItsOwnAtItsRunTime() {
    RunControl control = control(target.starter());

    control.start(new WebRunRequest(1, 1, null, Duration.ofSeconds(1)));

    await().atMost(Duration.ofSeconds(30)).until(() -> control.status().state() == State.FINISHED);
    assertThat(finished).hasSize(1);
    assertThat(control.status().lastOutcome().summary().total().count()).isPositive();
  }
}
