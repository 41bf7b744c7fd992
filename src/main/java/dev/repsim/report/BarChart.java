package dev.repsim.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Grouped vertical bars: one group per category, one bar per series, each bar labelled with its value
 * (GPU/CPU ratio per metric, time and memory per metric). A horizontal reference line (e.g. ratio 1)
 * can be drawn.
 *
 * @param title      figure title
 * @param yLabel     vertical axis label
 * @param categories the groups along the horizontal axis
 * @param seriesNames one per bar within a group (legend)
 * @param values     values[series][category]; NaN = no bar (not measured), drawn as "n/a"
 * @param logY       log10 vertical axis
 * @param reference  value of a dashed reference line, or NaN for none
 */
public record BarChart(String title, String yLabel, List<String> categories, List<String> seriesNames,
                       double[][] values, boolean logY, double reference) {

    public BarChart {
        if (values.length != seriesNames.size()) throw new IllegalArgumentException(values.length + " series but " + seriesNames.size() + " names");
        boolean any = false;
        for (double[] s : values) {
            if (s.length != categories.size()) throw new IllegalArgumentException("series length " + s.length + " != " + categories.size() + " categories");
            for (double v : s) {
                if (Double.isInfinite(v) || (logY && v <= 0)) throw new IllegalArgumentException("bar chart '" + title + "' has value " + v);
                any |= !Double.isNaN(v);
            }
        }
        if (!any) throw new IllegalArgumentException("bar chart '" + title + "' has no values");
    }

    public BufferedImage render() {
        int legendW = Legend.width(seriesNames);
        int catLabelW = categories.stream().mapToInt(s -> Canvas.textWidth(Canvas.LABEL, s)).max().orElse(0);
        int groupW = Math.max(28 * seriesNames.size() + 24, 70);
        int plotW = Math.max(420, groupW * categories.size());
        int left = 76, right = left + plotW, top = 40;
        boolean slant = catLabelW > groupW - 8;
        int bottom = 360;
        int width = right + legendW + 30, height = bottom + (slant ? (int) (catLabelW * 0.72) + 30 : 50);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] s : values) for (double v : s) if (!Double.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
        if (!Double.isNaN(reference)) { min = Math.min(min, reference); max = Math.max(max, reference); }
        Axis ay = Axis.covering(min, max, logY, !logY, bottom, top);
        Canvas c = new Canvas(width, height);
        c.text(title, Canvas.TITLE, Canvas.AXIS, width / 2.0, 18, Canvas.Align.CENTER);
        for (double t : ay.ticks()) {
            int y = (int) Math.round(ay.pixel(t));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(left, y, right, y);
            c.text(Axis.label(t), Canvas.SMALL, Canvas.AXIS, left - 5, y, Canvas.Align.RIGHT);
        }
        c.verticalText(yLabel, Canvas.LABEL, Canvas.AXIS, 14, (top + bottom) / 2.0);
        double base = logY ? ay.lo : Math.max(ay.lo, 0);
        List<Color> colours = new ArrayList<>();
        int barW = Math.min(28, (plotW / categories.size() - 16) / seriesNames.size());
        for (int s = 0; s < seriesNames.size(); s++) colours.add(Palette.category(s));
        for (int k = 0; k < categories.size(); k++) {
            double gx = left + (k + 0.5) * plotW / (double) categories.size();
            double x0 = gx - barW * seriesNames.size() / 2.0;
            for (int s = 0; s < seriesNames.size(); s++) {
                double v = values[s][k];
                int x = (int) Math.round(x0 + s * barW);
                if (Double.isNaN(v)) {
                    c.text("n/a", Canvas.SMALL, Color.GRAY, x + barW / 2.0, bottom - 8, Canvas.Align.CENTER);
                    continue;
                }
                int y = (int) Math.round(ay.pixel(v)), yb = (int) Math.round(ay.pixel(base));
                c.g.setColor(colours.get(s));
                c.g.fillRect(x + 1, Math.min(y, yb), barW - 2, Math.abs(yb - y));
                c.text(Axis.label(v), Canvas.SMALL, Canvas.AXIS, x + barW / 2.0, Math.min(y, yb) - 8, Canvas.Align.CENTER);
            }
            if (slant) c.slantedText(categories.get(k), Canvas.LABEL, Canvas.AXIS, gx + 4, bottom + 10, Canvas.Align.RIGHT);
            else c.text(categories.get(k), Canvas.LABEL, Canvas.AXIS, gx, bottom + 14, Canvas.Align.CENTER);
        }
        if (!Double.isNaN(reference)) {
            int y = (int) Math.round(ay.pixel(reference));
            c.g.setColor(Color.GRAY);
            c.g.setStroke(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            c.g.drawLine(left, y, right, y);
        }
        c.g.setStroke(new java.awt.BasicStroke(1f));
        c.g.setColor(Canvas.AXIS);
        c.g.drawRect(left, top, right - left, bottom - top);
        Legend.draw(c, seriesNames, colours, right + 14, top);
        return c.finish();
    }
}
