package dev.repsim.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines with markers, one per series, on linear or log axes (throughput against n per backend).
 *
 * @param title  figure title
 * @param xLabel horizontal axis label
 * @param yLabel vertical axis label
 * @param series the lines, in legend order
 * @param logX   log10 horizontal axis
 * @param logY   log10 vertical axis
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logX, boolean logY) {

    /** One line: points sorted by x. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("series '" + name + "' needs equal, non-empty x and y");
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) throw new IllegalArgumentException("series '" + name + "' has a non-finite point");
            }
        }
    }

    public LineChart {
        if (series.isEmpty()) throw new IllegalArgumentException("line chart '" + title + "' has no series");
    }

    public BufferedImage render() {
        List<String> names = series.stream().map(Series::name).toList();
        int legendW = Legend.width(names);
        int width = 660 + legendW, height = 440;
        int left = 70, right = width - legendW - 24, top = 40, bottom = height - 50;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
        for (Series s : series) {
            for (double v : s.x) { minX = Math.min(minX, v); maxX = Math.max(maxX, v); }
            for (double v : s.y) { minY = Math.min(minY, v); maxY = Math.max(maxY, v); }
        }
        Axis ax = Axis.covering(minX, maxX, logX, false, left, right);
        Axis ay = Axis.covering(minY, maxY, logY, !logY, bottom, top);
        Canvas c = new Canvas(width, height);
        c.text(title, Canvas.TITLE, Canvas.AXIS, width / 2.0, 18, Canvas.Align.CENTER);
        Charts.frame(c, ax, ay, left, right, top, bottom, xLabel, yLabel);
        List<Color> colours = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color col = Palette.category(k);
            colours.add(col);
            c.g.setColor(col);
            c.g.setStroke(new BasicStroke(2f));
            for (int i = 1; i < s.x.length; i++) {
                c.g.drawLine((int) ax.pixel(s.x[i - 1]), (int) ay.pixel(s.y[i - 1]), (int) ax.pixel(s.x[i]), (int) ay.pixel(s.y[i]));
            }
            for (int i = 0; i < s.x.length; i++) c.g.fillOval((int) ax.pixel(s.x[i]) - 4, (int) ay.pixel(s.y[i]) - 4, 9, 9);
        }
        c.g.setStroke(new BasicStroke(1f));
        Legend.draw(c, names, colours, right + 14, top);
        return c.finish();
    }
}
