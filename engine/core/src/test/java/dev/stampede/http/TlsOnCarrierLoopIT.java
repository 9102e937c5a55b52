package dev.stampede.http;

import dev.stampede.testkit.OnCarrierLoop;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link TlsIT} again, with TLS over a socket polled by a carrier loop (as in a load test). */
@ExtendWith(OnCarrierLoop.class)
class TlsOnCarrierLoopIT extends TlsIT {}
