package dev.stampede.http;

import dev.stampede.testkit.OnCarrierLoop;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link Http2IT} again, with HTTP/2 over a socket polled by a carrier loop (as in a load test). */
@ExtendWith(OnCarrierLoop.class)
class Http2OnCarrierLoopIT extends Http2IT {}
