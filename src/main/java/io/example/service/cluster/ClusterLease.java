package io.example.service.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job lease as a Hazelcast map-key lock. Hazelcast releases the locks of a member that leaves or is
 * removed from the cluster, so a crashed holder frees it. Such a lock belongs to a member and a thread,
 * and its unlock checks the owner: every lock call happens on one thread of ours, so that the release
 * after the last job is synchronous and can never free a lock that another member holds (Vert.x's own
 * lock release is asynchronous and ignores the owner).
 */
final class ClusterLease implements JobLease {

  private static final Logger log = LoggerFactory.getLogger(ClusterLease.class);
  static final String MAP = "__service.worker";
  private static final String LOCK = "active";
  private static final String TOKEN = "token";
  private static final String LAST_RUN = "lastRunAtMs";
  private static final String RELEASED = "releasedToken";
  /** How long one attempt waits for the lock, so that a close is noticed at least this often. */
  private static final long ATTEMPT_MS = 1000;

  private final IMap<String, Long> map;
  private final IntSupplier members;
  private final int expected;
  private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "service-cluster-lease");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean closed;
  private long held; // the token this member holds, 0 if none; touched only on the owner thread

  ClusterLease(HazelcastInstance hazelcast, IntSupplier members, int expected) {
    this.map = hazelcast.getMap(MAP);
    this.members = members;
    this.expected = expected;
  }

  @Override
  public Future<Grant> acquire(Context context) {
    return onOwner(context, () -> {
      while (!closed) {
        if (quorum() && map.tryLock(LOCK, ATTEMPT_MS, TimeUnit.MILLISECONDS)) {
          Long last = map.get(TOKEN);
          Long released = map.get(RELEASED);
          held = last == null ? 1 : last + 1;
          map.set(TOKEN, held); // only the holder writes it, so it only grows
          Long lastRun = map.get(LAST_RUN);
          return new Grant(held, lastRun == null ? 0 : lastRun, last == null || last.equals(released));
        }
        if (!quorum()) {
          TimeUnit.MILLISECONDS.sleep(ATTEMPT_MS); // the lease thread's own wait, never an event loop's
        }
      }
      throw new IllegalStateException("the lease is closed");
    });
  }

  @Override
  public boolean quorum() {
    return members.getAsInt() >= expected / 2 + 1;
  }

  @Override
  public String view() {
    return members.getAsInt() + " of " + expected + " expected members";
  }

  @Override
  public void recordRun(long startedAtMs) {
    map.setAsync(LAST_RUN, startedAtMs);
  }

  @Override
  public Future<Void> release(Context context) {
    return onOwner(context, () -> {
      if (held != 0) {
        long token = held;
        held = 0;
        map.set(RELEASED, token); // the next holder need not wait for this one: its last job has ended
        map.unlock(LOCK); // checks the owner: it throws rather than free another member's lock
      }
      return null;
    });
  }

  @Override
  public void close() {
    closed = true;
  }

  /** After leaving: the owner thread has nothing left to do. */
  void shutdown() {
    closed = true;
    owner.shutdown();
  }

  private <T> Future<T> onOwner(Context context, Callable<T> work) {
    Promise<T> promise = Promise.promise();
    try {
      owner.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(ignored -> promise.complete(result));
        } catch (Exception | LinkageError e) {
          log.debug("lease operation failed", e);
          context.runOnContext(ignored -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new IllegalStateException("the cluster has been left"));
    }
    return promise.future();
  }
}
