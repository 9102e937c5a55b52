package dev.stampede.http;

import dev.stampede.testkit.OnCarrierLoop;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link HttpSessionKeepAliveTest} again, with the session's sockets polled by a carrier loop (as in a load test). */
@ExtendWith(OnCarrierLoop.class)
class HttpSessionKeepAliveOnCarrierLoopTest extends HttpSessionKeepAliveTest {}
