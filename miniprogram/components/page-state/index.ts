/**
 * The loading / error / empty block every page shows above its content,
 * so the three states look and read the same everywhere.
 */
Component({
  options: { multipleSlots: true },
  properties: {
    loading: { type: Boolean, value: false },
    error: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '暂无内容' },
    rows: { type: Number, value: 3 },
    /** Lists show several skeleton blocks so the layout does not jump when rows arrive. */
    blocks: { type: Number, value: 1 },
  },
  data: { blockList: [0] as number[] },
  observers: {
    blocks(n: number) {
      this.setData({ blockList: Array.from({ length: Math.max(1, n) }, (_, i) => i) });
    },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
