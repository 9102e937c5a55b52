package dev.stampede.listener.cloudwatch;

import dev.stampede.listener.Backoff;
import dev.stampede.support.WarnThenDebugLogger;
import java.io.UncheckedIOException;
import java.net.URI;
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
import software.amazon.awssdk.http.SdkHttpRequest;
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
 * and sends the start-up {@link #rehearse rehearsal} to a loopback stand-in instead of the backend.
 */
final class CloudWatchClients {

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchListener.class);

  /**
   * Set on the start-up rehearsal call: where it is sent instead of the configured endpoint (a
   * {@link RehearsalEndpoint} on the loopback).
   */
  private static final ExecutionAttribute<URI> REHEARSAL = new ExecutionAttribute<>("StampedeRehearsal");

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
      public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        URI rehearsal = attributes.getAttribute(REHEARSAL);
        if (rehearsal == null) {
          return context.httpRequest();
        }
        return context.httpRequest().toBuilder()
            .protocol(rehearsal.getScheme()).host(rehearsal.getHost()).port(rehearsal.getPort()).build();
      }

      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        URI rehearsal = attributes.getAttribute(REHEARSAL);
        if (rehearsal == null) {
          onHttpRequest.run();
        } else if (!goesTo(context.httpRequest(), rehearsal)) {
          // Should a later stage of the SDK have put the real endpoint back, the rehearsal stops
          // here: it never reaches the backend.
          throw new RehearsalStopped();
        }
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
   * CBOR, compression, credentials, signing, Netty's connection and pipeline, the response's
   * unmarshalling), sent to a {@link RehearsalEndpoint} on the loopback instead of the configured
   * endpoint. Without it, the SDK's first call loads some 1,300 classes at the first step boundary,
   * inside the run, taking CPU from the users (decision 0010). Over HTTPS, the TLS handler's classes
   * still load with the first real call. It also says at start when the credentials cannot be found,
   * instead of at the first step. Waits at most {@link #REHEARSAL_TIMEOUT}; logs, never throws.
   *
   * @return whether the rehearsal went through the whole client and was answered
   */
  static boolean rehearse(CloudWatchAsyncClient client, PutMetricDataRequest request) {
    RehearsalEndpoint started;
    try {
      started = RehearsalEndpoint.start();
    } catch (UncheckedIOException | LinkageError e) {
      // No free loopback port, or a runtime image without the jdk.httpserver module. Nothing is
      // wrong with the client: the first real call then loads what the rehearsal would have.
      LOG.debug("cloudwatch: no rehearsal at start", e);
      return false;
    }
    Throwable error;
    try (RehearsalEndpoint endpoint = started) {
      PutMetricDataRequest rehearsal = request.toBuilder()
          .overrideConfiguration(o -> o.putExecutionAttribute(REHEARSAL, endpoint.uri()))
          .build();
      client.putMetricData(rehearsal).get(REHEARSAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return endpoint.answered() > 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      LOG.info("cloudwatch: the client was not ready within {} s (finding credentials?); the run starts anyway",
          REHEARSAL_TIMEOUT.toSeconds());
      return false;
    } catch (ExecutionException | RuntimeException e) {
      error = e;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RehearsalStopped) {
        return false;
      }
    }
    LOG.warn("cloudwatch: a PutMetricData call cannot be prepared, so the run's metrics will likely not be"
        + " delivered: {}", WarnThenDebugLogger.describe(unwrap(error instanceof ExecutionException ? error.getCause() : error)));
    return false;
  }

  private static boolean goesTo(SdkHttpRequest request, URI target) {
    return request.protocol().equals(target.getScheme()) && request.host().equals(target.getHost())
        && request.port() == target.getPort();
  }

  /** The cause of a failed call, without the {@link CompletionException}s the futures wrap it in. */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Stops a rehearsal that would not go to its {@link RehearsalEndpoint}. */
  private static final class RehearsalStopped extends RuntimeException {
    RehearsalStopped() {
      super("the rehearsal is not sent", null, false, false);
    }
  }
}
