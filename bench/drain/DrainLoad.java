import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The drain-under-load client of bench/drain.sh, run as a single source file ({@code java DrainLoad.java}).
 * Keep-alive clients send {@code GET /} at a fixed pace; after a warm-up this program sends SIGTERM to the
 * server itself, so it knows the signal's instant exactly, and counts every outcome per 100 ms bucket,
 * from 1 s before the signal to 2 s after it:
 * <ul>
 *   <li>ok: a complete 200 answer;
 *   <li>failed: the request was sent and no complete 200 came back (reset, closed, another status);
 *   <li>refused: the connect was refused, nothing was sent (a client or balancer retries another instance).
 * </ul>
 * A client follows {@code Connection: close} by opening a new connection for its next request.
 *
 * <p>Usage: {@code java DrainLoad.java <port> <pid> <out.tsv> [clients] [interval ms]}. Every loop is bounded.
 */
public final class DrainLoad {

  static final int BUCKET_MS = 100;
  static final int WARMUP_MS = 1000;
  static final int BEFORE_MS = 1000;
  static final int AFTER_MS = 2000;
  static final int BUCKETS = (BEFORE_MS + AFTER_MS) / BUCKET_MS;
  static final int OK = 0;
  static final int FAILED = 1;
  static final int REFUSED = 2;
  private static final int IO_TIMEOUT_MS = 2000;
  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: drain-load\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress server;
  private final long intervalNanos;
  private final long signalNanos; // the bucket clock's zero
  private final AtomicIntegerArray counts = new AtomicIntegerArray(BUCKETS * 3);

  private DrainLoad(int port, long intervalMs, long signalNanos) {
    this.server = new InetSocketAddress("127.0.0.1", port);
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.signalNanos = signalNanos;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long pid = Long.parseLong(args[1]);
    Path out = Path.of(args[2]);
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    long intervalMs = args.length > 4 ? Long.parseLong(args[4]) : 10;
    ProcessHandle target = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    long startNanos = System.nanoTime();
    DrainLoad load = new DrainLoad(port, intervalMs, startNanos + ms(WARMUP_MS + BEFORE_MS));
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      // Spread the clients over one interval, so the pace is even rather than in bursts.
      long first = startNanos + load.intervalNanos * i / clients;
      Thread client = new Thread(() -> load.client(first), "client-" + i);
      client.setDaemon(true);
      client.start();
      threads.add(client);
    }
    LockSupport.parkNanos(load.signalNanos - System.nanoTime());
    target.destroy(); // SIGTERM
    long exitMs = awaitExit(target, load.signalNanos);
    for (Thread client : threads) {
      client.join(AFTER_MS + 2L * IO_TIMEOUT_MS + 1000);
    }
    load.write(out, clients, intervalMs, exitMs);
  }

  /**
   * Milliseconds from the signal to the exit, polled every 5 ms (onExit polls a process that is not our child
   * far more coarsely); -1 if it still runs at the end of the window.
   */
  private static long awaitExit(ProcessHandle target, long signalNanos) {
    for (int i = 0; i < AFTER_MS / 5 && target.isAlive(); i++) {
      LockSupport.parkNanos(ms(5));
    }
    return target.isAlive() ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalNanos);
  }

  /** One keep-alive client: a request every interval until the end of the window, bounded in count too. */
  private void client(long firstNanos) {
    long endNanos = signalNanos + ms(AFTER_MS);
    long maxRequests = (endNanos - firstNanos) / intervalNanos + 1;
    Connection connection = null;
    long next = firstNanos;
    for (long i = 0; i < maxRequests && next < endNanos; i++, next += intervalNanos) {
      LockSupport.parkNanos(next - System.nanoTime());
      if (System.nanoTime() - next > intervalNanos) {
        next = System.nanoTime(); // after a stall (a read timeout), keep the pace instead of catching up in a burst
      }
      int outcome;
      try {
        if (connection == null) {
          connection = Connection.open(server);
        }
        Connection.Answer answer = connection.get();
        outcome = answer.status() == 200 ? OK : FAILED;
        if (answer.close()) {
          connection.close();
          connection = null;
        }
      } catch (ConnectException e) {
        outcome = REFUSED;
      } catch (IOException e) {
        outcome = FAILED;
        if (connection != null) {
          connection.close();
          connection = null;
        }
      }
      record(outcome);
    }
    if (connection != null) {
      connection.close();
    }
  }

  private void record(int outcome) {
    long sinceSignalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalNanos);
    long bucket = Math.floorDiv(sinceSignalMs + BEFORE_MS, BUCKET_MS);
    if (bucket >= 0 && bucket < BUCKETS) {
      counts.incrementAndGet((int) bucket * 3 + outcome);
    }
  }

  private void write(Path out, int clients, long intervalMs, long exitMs) throws IOException {
    StringBuilder text = new StringBuilder()
        .append("# clients ").append(clients).append(", one request every ").append(intervalMs)
        .append(" ms each; SIGTERM at 0 ms; process exit at ").append(exitMs).append(" ms\n")
        .append("exit_ms\t").append(exitMs).append('\n')
        .append("t_ms\tok\tfailed\trefused\n");
    for (int b = 0; b < BUCKETS; b++) {
      text.append(b * BUCKET_MS - BEFORE_MS).append('\t').append(counts.get(b * 3 + OK)).append('\t')
          .append(counts.get(b * 3 + FAILED)).append('\t').append(counts.get(b * 3 + REFUSED)).append('\n');
    }
    Files.writeString(out, text);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** One HTTP/1.1 connection with blocking I/O and a read timeout: enough for a fixed GET and its answer. */
  private record Connection(Socket socket, InputStream in, OutputStream out) {

    record Answer(int status, boolean close) {}

    static Connection open(InetSocketAddress server) throws IOException {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(IO_TIMEOUT_MS);
        socket.connect(server, IO_TIMEOUT_MS);
        return new Connection(socket, new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    Answer get() throws IOException {
      out.write(REQUEST);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
        throw new IOException("bad status line: " + status);
      }
      int length = 0;
      boolean close = false;
      for (int i = 0; i < 100; i++) {
        String header = line().toLowerCase();
        if (header.isEmpty()) {
          in.readNBytes(length); // the body; Hello world here
          return new Answer(Integer.parseInt(status.substring(9, 12)), close);
        }
        if (header.startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(15).trim());
        } else if (header.startsWith("connection:") && header.contains("close")) {
          close = true;
        }
      }
      throw new IOException("more than 100 header lines");
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int i = 0; i < 8192; i++) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("closed by the server");
        }
        if (c == '\n') {
          int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
          return line.substring(0, end);
        }
        line.append((char) c);
      }
      throw new IOException("line too long");
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
