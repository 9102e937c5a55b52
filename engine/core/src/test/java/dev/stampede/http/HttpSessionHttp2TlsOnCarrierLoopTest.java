package dev.stampede.http;

import dev.stampede.testkit.OnCarrierLoop;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link HttpSessionHttp2TlsTest} again, with the session's sockets polled by a carrier loop (as in a load test). */
@ExtendWith(OnCarrierLoop.class)
class HttpSessionHttp2TlsOnCarrierLoopTest extends HttpSessionHttp2TlsTest {}
