package dev.stampede.listener.cloudwatch;

import dev.stampede.listener.Backoff;
import dev.stampede.support.WarnThenDebugLogger;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * The CloudWatch listener's SDK client set-up: region, endpoint override, profile or given
 * credentials, the SDK's retries on the SPI's {@link Backoff}, gzip request compression, the flush
 * timeout as the API call timeout, and an interceptor that counts HTTP requests (retries included)
 * and stops the start-up {@link #rehearse rehearsal} before it is sent.
 */
final class CloudWatchClients {

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);

  /** Set on the start-up rehearsal call, which the client stops just before it would be sent. */
  private static final ExecutionAttribute<Boolean> REHEARSAL = new ExecutionAttribute<>("StampedeRehearsal");

  /** How long start waits for the rehearsal at most: the SDK's default credential chain can be slow. */
  static final Duration REHEARSAL_TIMEOUT = Duration.ofSeconds(5);

  private CloudWatchClients() {}

  /**
   * A client for {@code config}.
   *
   * @param credentialsProvider the credentials, or {@code null} for the configured profile, else the SDK's default chain
   * @param retryBaseDelay the first retry's backoff ceiling; throttling backs off from 5 times this
   * @param onHttpRequest called before each HTTP request goes out, retries included (not for the rehearsal)
   */
  static CloudWatchAsyncClient build(CloudWatchConfig config, AwsCredentialsProvider credentialsProvider,
      Duration retryBaseDelay, Runnable onHttpRequest) {
    RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(config.maxAttempts())
        // The SPI's one jittered backoff, in the SDK's own retry loop (the SDK counts attempts from 1).
        .backoffStrategy(sdkBackoff(new Backoff(retryBaseDelay, retryBaseDelay.multipliedBy(50), config.maxAttempts())))
        .throttlingBackoffStrategy(sdkBackoff(new Backoff(retryBaseDelay.multipliedBy(5),
            retryBaseDelay.multipliedBy(100), config.maxAttempts())))
        // A load test sends few calls; the token bucket would stop retrying exactly when a
        // throttled or flaky backend needs it most.
        .circuitBreakerEnabled(false)
        .build();
    ExecutionInterceptor attempts = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(REHEARSAL))) {
          throw new RehearsalStopped();
        }
        onHttpRequest.run();
      }
    };
    CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder()
        .overrideConfiguration(o -> {
          o.retryStrategy(retries)
              .compressionConfiguration(c -> c.requestCompressionEnabled(true))
              .apiCallTimeout(config.flushTimeout())
              .addExecutionInterceptor(attempts);
          config.profile().ifPresent(o::defaultProfileName);
        });
    config.region().ifPresent(region -> builder.region(Region.of(region)));
    config.endpoint().ifPresent(builder::endpointOverride);
    if (credentialsProvider != null) {
      builder.credentialsProvider(credentialsProvider);
    } else {
      config.profile().ifPresent(profile -> builder.credentialsProvider(ProfileCredentialsProvider.create(profile)));
    }
    return builder.build();
  }

  private static BackoffStrategy sdkBackoff(Backoff backoff) {
    return attempt -> backoff.delay(Math.max(0, attempt - 1));
  }

  /**
   * Runs {@code request} through the whole client that {@link #build} made (building, marshalling to
   * CBOR, compression, credentials, signing), stopped just before it would be sent. Without it, the
   * SDK's first call loads some 750 classes (of ~1,400 that load with the first call; the rest are
   * Netty's connection, which only a real call can make) at the first step boundary, inside the
   * run, taking CPU from the users (BENCHMARKS.md, issue 8 sixth round). It also says at start when
   * the credentials cannot be found, instead of at the first step. Waits at most
   * {@link #REHEARSAL_TIMEOUT}; logs, never throws.
   */
  static void rehearse(CloudWatchAsyncClient client, PutMetricDataRequest request) {
    PutMetricDataRequest rehearsal = request.toBuilder()
        .overrideConfiguration(o -> o.putExecutionAttribute(REHEARSAL, Boolean.TRUE))
        .build();
    Throwable error;
    try {
      client.putMetricData(rehearsal).get(REHEARSAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return; // not reached: the interceptor stops every rehearsal
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (TimeoutException e) {
      LOG.info("cloudwatch: the client was not ready within {} s (finding credentials?); the run starts anyway",
          REHEARSAL_TIMEOUT.toSeconds());
      return;
    } catch (ExecutionException | RuntimeException e) {
      error = e;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RehearsalStopped) {
        return;
      }
    }
    LOG.warn("cloudwatch: a PutMetricData call cannot be prepared, so the run's metrics will likely not be"
        + " delivered: {}", WarnThenDebugLogger.describe(unwrap(error instanceof ExecutionException ? error.getCause() : error)));
  }

  /** The cause of a failed call, without the {@link CompletionException}s the futures wrap it in. */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Stops the start-up rehearsal before it reaches the network. */
  private static final class RehearsalStopped extends RuntimeException {
    RehearsalStopped() {
      super("the rehearsal is not sent", null, false, false);
    }
  }
}
