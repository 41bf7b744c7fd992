package dev.repsim.report;

import java.awt.Color;

/** Axis frames shared by the charts: grid lines, tick labels and axis titles. */
final class Charts {
    private Charts() {}

    static void frame(Canvas c, Axis ax, Axis ay, int left, int right, int top, int bottom, String xLabel, String yLabel) {
        for (double t : ax.ticks()) {
            int x = (int) Math.round(ax.pixel(t));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(x, top, x, bottom);
            c.text(Axis.label(t), Canvas.SMALL, Canvas.AXIS, x, bottom + 12, Canvas.Align.CENTER);
        }
        for (double t : ay.ticks()) {
            int y = (int) Math.round(ay.pixel(t));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(left, y, right, y);
            c.text(Axis.label(t), Canvas.SMALL, Canvas.AXIS, left - 5, y, Canvas.Align.RIGHT);
        }
        c.g.setColor(Canvas.AXIS);
        c.g.drawRect(left, top, right - left, bottom - top);
        c.text(xLabel, Canvas.LABEL, Canvas.AXIS, (left + right) / 2.0, bottom + 32, Canvas.Align.CENTER);
        c.verticalText(yLabel, Canvas.LABEL, Canvas.AXIS, 14, (top + bottom) / 2.0);
    }

    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
