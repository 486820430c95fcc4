package com.marketplace.jobs.relay;

import io.temporal.client.WorkflowClient;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts the workflow of every PENDING job that Temporal does not have yet: right after it is
 * accepted (woken by the intake's NOTIFY, whichever api instance accepted it), and again after a
 * crash or while the Temporal server was unreachable (a poll every {@code poll-interval} picks up
 * what is due).
 *
 * <p>Every worker runs one with eager start, so a fresh job's first workflow task comes back in the
 * start response and runs in the same process, without a dispatch through the server's task queue.
 * Such a relay (no start delay) is a <em>primary</em>; the api runs a <em>standby</em> (a start
 * delay), which starts jobs older than its delay only while no worker's relay is connected ({@link
 * PrimaryRelayLock}).
 *
 * <p>Jobs are claimed with a lease, in order of priority then age ({@link PendingStartClaims}), and
 * started with bounded concurrency ({@link StartDispatcher}). The workflow id derives from the job
 * id and the reuse policy refuses duplicates, so a job is never started twice even if two relays
 * race or a start is retried after it had in fact succeeded.
 *
 * <p>While the Temporal server is unreachable the relay pauses as a whole and hands back what it
 * had claimed; when the server answers again it claims afresh, so the backlog of an outage is
 * started in priority order, payments first. A start that fails for any other reason backs off for
 * that job only.
 */
public class WorkflowStartRelay implements SmartLifecycle {

  /** The channel the intake NOTIFYs after each accepted job. */
  public static final String CHANNEL = "jobs_pending";

  private final RelayProperties properties;
  private final PendingStartClaims claims;
  private final PrimaryRelayLock primaryLock;
  private final StartDispatcher dispatcher;
  private volatile boolean running;

  public WorkflowStartRelay(
      JdbcClient jdbc, DataSource dataSource, WorkflowClient client, RelayProperties properties) {
    this.properties = properties;
    this.claims = new PendingStartClaims(jdbc, dataSource, properties);
    this.primaryLock = new PrimaryRelayLock(jdbc, dataSource, properties.pollInterval());
    this.dispatcher = new StartDispatcher(claims, client, properties);
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    running = true;
    if (standby()) {
      dispatcher.start(() -> primaryLock.standingBy(properties.startDelay()));
    } else {
      dispatcher.start(() -> false);
      primaryLock.holdAndListen(dispatcher::wake);
    }
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    primaryLock.release();
    dispatcher.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Jobs the relay still owes a start: the backlog shown by the "relay" health indicator. */
  public long backlog() {
    return claims.backlog();
  }

  void wake() {
    dispatcher.wake();
  }

  /** Whether any primary relay holds its lock, in this database. */
  boolean primaryRelayConnected() {
    return primaryLock.primaryConnected();
  }

  /** A gRPC UNAVAILABLE or DEADLINE_EXCEEDED anywhere in the cause chain. */
  static boolean isUnreachable(Throwable failure) {
    return StartFailure.of(failure) == StartFailure.UNREACHABLE;
  }

  /** A relay with a start delay is the api's standby. */
  private boolean standby() {
    return !properties.startDelay().isZero();
  }
}
