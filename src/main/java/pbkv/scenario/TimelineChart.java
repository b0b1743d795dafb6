package pbkv.scenario;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * timeline.png: above, a lane per node coloured by the role it reported over time, with a line at
 * each fault, promotion and catch-up; beneath, every client write's latency at the moment it
 * ended, errors (refused, redirected, timed out) in red. Seconds since the run started.
 */
final class TimelineChart {

    private static final Map<String, Color> ROLE_COLOURS = new LinkedHashMap<>();

    static {
        ROLE_COLOURS.put("PRIMARY", new Color(0x2e7d32));
        ROLE_COLOURS.put("BACKUP", new Color(0x1565c0));
        ROLE_COLOURS.put("WITNESS", new Color(0x9e9e9e));
        ROLE_COLOURS.put("OTHER", new Color(0xf9a825)); // stale, candidate, or any role in between
        ROLE_COLOURS.put("DOWN", new Color(0xc62828));
    }

    private static final Map<Markers.Kind, Color> MARKER_COLOURS = Map.of(Markers.Kind.FAULT, Color.RED,
            Markers.Kind.PROMOTION, new Color(0x2e7d32), Markers.Kind.CATCH_UP, new Color(0x1565c0));

    private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 10);
    /** Rough width of one character of {@link #LABEL_FONT}, and the lanes' drawing width, to place labels. */
    private static final double LABEL_CHAR_PX = 6.2;
    private static final double PLOT_WIDTH_PX = 1080;
    private static final double LABEL_ROW_PX = 13;
    static final int LABEL_ROWS = 6;

    private TimelineChart() {
    }

    static void draw(Path file, String title, List<String> nodes, List<RoleSampler.Sample> samples,
                     List<Markers.Marker> markers, List<HistoryRecorder.Op> ops, long startNanos) throws IOException {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds since the cluster was ready"));
        plot.setGap(12);
        plot.add(lanes(nodes, samples, markers, startNanos), 2);
        plot.add(latency(ops, startNanos), 1);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 700);
    }

    private static XYPlot lanes(List<String> nodes, List<RoleSampler.Sample> samples, List<Markers.Marker> markers,
                                long startNanos) {
        Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
        ROLE_COLOURS.keySet().forEach(role -> series.put(role, new XYIntervalSeries(role)));
        Map<String, RoleSampler.Sample> previous = new LinkedHashMap<>();
        for (RoleSampler.Sample s : samples) {
            RoleSampler.Sample before = previous.put(s.node(), s);
            if (before != null) {
                double from = seconds(before.nanos(), startNanos);
                double to = seconds(s.nanos(), startNanos);
                double lane = nodes.indexOf(s.node());
                series.get(colourKey(before.role())).add((from + to) / 2, from, to, lane, lane - 0.35, lane + 0.35);
            }
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        int i = 0;
        for (Color colour : ROLE_COLOURS.values()) {
            renderer.setSeriesPaint(i++, colour);
        }
        XYPlot plot = new XYPlot(data, null, new SymbolAxis("node", nodes.toArray(String[]::new)), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        addMarkers(plot, markers, Math.max(1, ends(samples, markers, startNanos)), startNanos);
        return plot;
    }

    private static void addMarkers(XYPlot plot, List<Markers.Marker> markers, double end, long startNanos) {
        double secondsPerChar = LABEL_CHAR_PX * end / PLOT_WIDTH_PX;
        List<Double> at = markers.stream().map(m -> seconds(m.nanos(), startNanos)).toList();
        List<Double> widths = markers.stream().map(m -> (m.label().length() + 1) * secondsPerChar).toList();
        int[] rows = labelRows(at, widths, end);
        for (int i = 0; i < markers.size(); i++) {
            Markers.Marker m = markers.get(i);
            ValueMarker line = new ValueMarker(at.get(i), MARKER_COLOURS.get(m.kind()), new BasicStroke(1.5f));
            line.setLabel(m.label());
            line.setLabelFont(LABEL_FONT);
            line.setLabelPaint(MARKER_COLOURS.get(m.kind()).darker());
            line.setLabelBackgroundColor(new Color(255, 255, 255, 220));
            boolean leftOfLine = at.get(i) + widths.get(i) > end;
            line.setLabelAnchor(leftOfLine ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            line.setLabelTextAnchor(leftOfLine ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
            line.setLabelOffset(new RectangleInsets(2 + rows[i] * LABEL_ROW_PX, 2, 2, 2));
            plot.addDomainMarker(line);
        }
    }

    /**
     * The text row of each marker's label, 0 at the top: the first row where it does not overlap an
     * earlier label, so events a moment apart stay readable. A label that would run past
     * {@code end} is drawn left of its line. Beyond {@link #LABEL_ROWS} rows they start over at 0.
     */
    static int[] labelRows(List<Double> at, List<Double> widths, double end) {
        double[] rowFreeFrom = new double[LABEL_ROWS];
        Arrays.fill(rowFreeFrom, Double.NEGATIVE_INFINITY);
        int[] rows = new int[at.size()];
        for (int i = 0; i < at.size(); i++) {
            double x = at.get(i);
            double w = widths.get(i);
            double from = x + w > end ? x - w : x;
            double to = from + w;
            int row = 0;
            while (row < LABEL_ROWS && from < rowFreeFrom[row]) {
                row++;
            }
            rows[i] = row < LABEL_ROWS ? row : i % LABEL_ROWS;
            rowFreeFrom[rows[i]] = Math.max(rowFreeFrom[rows[i]], to);
        }
        return rows;
    }

    private static double ends(List<RoleSampler.Sample> samples, List<Markers.Marker> markers, long startNanos) {
        double end = 0;
        for (RoleSampler.Sample s : samples) {
            end = Math.max(end, seconds(s.nanos(), startNanos));
        }
        for (Markers.Marker m : markers) {
            end = Math.max(end, seconds(m.nanos(), startNanos));
        }
        return end;
    }

    private static XYPlot latency(List<HistoryRecorder.Op> ops, long startNanos) {
        XYSeries ok = new XYSeries("write ok");
        XYSeries error = new XYSeries("write error");
        for (HistoryRecorder.Op op : ops) {
            if (op.write()) {
                (op.outcome().equals("ok") ? ok : error).add(seconds(op.exchange().completeNanos(), startNanos),
                        op.exchange().millis());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(ok);
        data.addSeries(error);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, new Color(0x1565c0));
        renderer.setSeriesPaint(1, Color.RED);
        XYPlot plot = new XYPlot(data, null, new NumberAxis("write latency (ms)"), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static String colourKey(String role) {
        return ROLE_COLOURS.containsKey(role) ? role : "OTHER";
    }

    private static double seconds(long nanos, long startNanos) {
        return (nanos - startNanos) / 1e9;
    }
}
