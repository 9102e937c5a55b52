package dev.stampede.bus;

import dev.stampede.ExportReport;

/**
 * How the results of a run reached one listener.
 *
 * @param name the listener's name
 * @param accepted results handed to the listener
 * @param dropped results the bus could not queue for it (queue full, or still queued when the
 *     stop timeout ran out)
 * @param failed results the listener accepted but could not deliver, including batches it threw on;
 *     when the bus gave up on the listener, every result it accepted, since it confirmed none
 * @param report the listener's own report ({@link ExportReport#NONE} when the bus gave up on it)
 * @param gaveUp whether the listener did not finish within {@code listener.stop-timeout} and the
 *     bus stopped waiting for it
 */
public record ListenerDelivery(String name, long accepted, long dropped, long failed, ExportReport report,
    boolean gaveUp) {

  /** The delivery of a listener that finished within the stop timeout. */
  public ListenerDelivery(String name, long accepted, long dropped, long failed, ExportReport report) {
    this(name, accepted, dropped, failed, report, false);
  }

  /** Results that reached the backend: accepted minus failed. */
  public long delivered() {
    return Math.max(0, accepted - failed);
  }
}
