package dev.stampede.bus;

import dev.stampede.ExportReport;

/**
 * How the results of a run reached one listener.
 *
 * @param name the listener's name
 * @param accepted results handed to the listener
 * @param dropped results the bus could not queue for it (queue full, or still queued when the
 *     stop timeout ran out)
 * @param failed results the listener accepted but could not deliver, including batches it threw on
 * @param report the listener's own report
 */
public record ListenerDelivery(String name, long accepted, long dropped, long failed, ExportReport report) {

  /** Results that reached the backend: accepted minus failed. */
  public long delivered() {
    return Math.max(0, accepted - failed);
  }
}
