import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws bench/drain.sh's result as one SVG: for each target, the answers per 100 ms around the SIGTERM, ok,
 * failed and refused stacked, with the signal and the process exit marked. Run as a single source file:
 * {@code java DrainChart.java out.svg service.tsv "service" bare.tsv "bare Vert.x" ...}. Plain SVG text, no
 * library, so that the chart is made by the benchmark itself.
 */
public final class DrainChart {

  private static final int WIDTH = 760;
  private static final int PANEL = 190;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final String OK = "#2e7d32";
  private static final String FAILED = "#d32f2f";
  private static final String REFUSED = "#bdbdbd";

  record Bucket(int tMs, int ok, int failed, int refused) {
    int total() {
      return ok + failed + refused;
    }
  }

  record Run(String label, long exitMs, List<Bucket> buckets) {
    int sum(int which) {
      return buckets.stream().mapToInt(b -> which == 0 ? b.ok : which == 1 ? b.failed : b.refused).sum();
    }
  }

  public static void main(String[] args) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      runs.add(read(Path.of(args[i]), args[i + 1]));
    }
    int max = runs.stream().flatMap(r -> r.buckets.stream()).mapToInt(Bucket::total).max().orElse(1);
    int scale = niceCeiling(Math.max(1, max));
    StringBuilder svg = new StringBuilder();
    int height = TOP + runs.size() * (PANEL + 50) + 10;
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
    svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"15\" font-weight=\"bold\">"
        + "Answers per 100 ms across a SIGTERM (keep-alive clients, drainDelayMs 1000)</text>\n");
    legend(svg, LEFT, 38);
    for (int i = 0; i < runs.size(); i++) {
      panel(svg, runs.get(i), TOP + 20 + i * (PANEL + 50), scale);
    }
    svg.append("</svg>\n");
    Files.writeString(Path.of(args[0]), svg);
  }

  private static void panel(StringBuilder svg, Run run, int top, int scale) {
    List<Bucket> buckets = run.buckets;
    int plotWidth = WIDTH - LEFT - RIGHT;
    double barWidth = (double) plotWidth / buckets.size();
    int firstMs = buckets.get(0).tMs;
    double msWidth = plotWidth / (double) (buckets.size() * 100);
    int bottom = top + PANEL;
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s: %d ok, %d failed, %d refused"
        + "%s</text>%n", LEFT, top - 6, escape(run.label), run.sum(0), run.sum(1), run.sum(2),
        run.exitMs >= 0 ? ", exit after " + run.exitMs + " ms" : ""));
    for (int g = 0; g <= 4; g++) {
      int y = bottom - PANEL * g / 4;
      svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>"
          + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">%d</text>%n",
          LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, scale * g / 4));
    }
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      double x = LEFT + i * barWidth + 1;
      double y = bottom;
      for (int[] part : new int[][] {{b.ok, 0}, {b.failed, 1}, {b.refused, 2}}) {
        double h = (double) PANEL * part[0] / scale;
        y -= h;
        if (part[0] > 0) {
          svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
              + "<title>%d ms: %d</title></rect>%n", x, y, barWidth - 2, h,
              part[1] == 0 ? OK : part[1] == 1 ? FAILED : REFUSED, b.tMs, part[0]));
        }
      }
      if (b.tMs % 500 == 0) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%.1f s</text>%n",
            LEFT + i * barWidth, bottom + 16, b.tMs / 1000.0));
      }
    }
    marker(svg, LEFT + (0 - firstMs) * msWidth, top, bottom, 12, "SIGTERM", "#000000");
    if (run.exitMs >= 0) {
      marker(svg, LEFT + (run.exitMs - firstMs) * msWidth, top, bottom, 28, "exit", "#1565c0");
    }
    svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        LEFT, bottom, WIDTH - RIGHT, bottom));
  }

  private static void marker(StringBuilder svg, double x, int top, int bottom, int labelY, String label, String color) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
        + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>%n",
        x, top, x, bottom, color, x + 4, top + labelY, color, label));
  }

  private static void legend(StringBuilder svg, int x, int y) {
    String[][] items = {{OK, "ok (200)"}, {FAILED, "failed (sent, no answer or not 200)"},
        {REFUSED, "refused (connect refused, nothing sent)"}};
    int at = x;
    for (String[] item : items) {
      svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", at, y - 10, item[0], at + 16, y, item[1]));
      at += 16 + item[1].length() * 7 + 14;
    }
  }

  private static Run read(Path file, String label) throws IOException {
    long exitMs = -1;
    List<Bucket> buckets = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t");
      if (f[0].equals("exit_ms")) {
        exitMs = Long.parseLong(f[1]);
      } else if (f.length == 4 && f[0].matches("-?\\d+")) {
        buckets.add(new Bucket(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
            Integer.parseInt(f[3])));
      }
    }
    if (buckets.isEmpty()) {
      throw new IOException(file + ": no buckets");
    }
    return new Run(label, exitMs, buckets);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}: round numbers on the axis. */
  private static int niceCeiling(int value) {
    int power = 1;
    for (int i = 0; i < 9 && power * 10 <= value; i++) {
      power *= 10;
    }
    for (int step : new int[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
