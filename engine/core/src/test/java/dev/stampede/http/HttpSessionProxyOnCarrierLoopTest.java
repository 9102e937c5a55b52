package dev.stampede.http;

import dev.stampede.testkit.OnCarrierLoop;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every {@link HttpSessionProxyTest} again, with the session's sockets polled by a carrier loop (as in a load test). */
@ExtendWith(OnCarrierLoop.class)
class HttpSessionProxyOnCarrierLoopTest extends HttpSessionProxyTest {}
