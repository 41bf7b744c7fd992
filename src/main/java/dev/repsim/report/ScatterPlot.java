package dev.repsim.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Points in the plane coloured by group, with a legend naming the groups (the UMAP figures: one point
 * per image and variant, coloured by variant).
 *
 * @param title  figure title
 * @param xLabel horizontal axis label
 * @param yLabel vertical axis label
 * @param xy     xy[i] = {x, y} of point i, finite
 * @param group  group index of point i, in [0, groups.size())
 * @param groups group names (legend order)
 */
public record ScatterPlot(String title, String xLabel, String yLabel, double[][] xy, int[] group, List<String> groups) {

    static final int WIDTH = 640, HEIGHT = 500;

    public ScatterPlot {
        if (xy.length != group.length) throw new IllegalArgumentException(xy.length + " points but " + group.length + " group indices");
        if (xy.length == 0) throw new IllegalArgumentException("scatter plot '" + title + "' has no points");
        for (int i = 0; i < xy.length; i++) {
            if (xy[i].length != 2 || !Double.isFinite(xy[i][0]) || !Double.isFinite(xy[i][1])) throw new IllegalArgumentException("point " + i + " of '" + title + "' is not a finite 2-D point");
            if (group[i] < 0 || group[i] >= groups.size()) throw new IllegalArgumentException("point " + i + " has group " + group[i] + " of " + groups.size());
        }
    }

    public BufferedImage render() {
        int legendW = Legend.width(groups);
        int left = 56, right = WIDTH - legendW - 24, top = 40, bottom = HEIGHT - 48;
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
        for (double[] p : xy) {
            minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
        }
        Axis ax = Axis.covering(minX, maxX, false, false, left, right);
        Axis ay = Axis.covering(minY, maxY, false, false, bottom, top);
        Canvas c = new Canvas(WIDTH, HEIGHT);
        c.text(title, Canvas.TITLE, Canvas.AXIS, WIDTH / 2.0, 18, Canvas.Align.CENTER);
        Charts.frame(c, ax, ay, left, right, top, bottom, xLabel, yLabel);
        List<Color> colours = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) colours.add(Palette.category(g));
        for (int i = 0; i < xy.length; i++) {
            Color col = colours.get(group[i]);
            c.g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 200));
            c.g.fill(new Ellipse2D.Double(ax.pixel(xy[i][0]) - 4, ay.pixel(xy[i][1]) - 4, 8, 8));
        }
        Legend.draw(c, groups, colours, right + 14, top);
        return c.finish();
    }
}
