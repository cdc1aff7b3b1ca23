package dptrain.worker;

/** Quickselect: the k-th largest of the first n values, in expected linear time (reorders the array). */
final class Selection {
  private Selection() {}

  static float kthLargest(float[] values, int n, int k) {
    int target = n - k; // the k-th largest is the (n - k)-th smallest, counting from 0
    int lo = 0;
    int hi = n - 1;
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    while (lo < hi) {
      float pivot = values[lo + random.nextInt(hi - lo + 1)];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (values[i] < pivot) {
          i++;
        }
        while (values[j] > pivot) {
          j--;
        }
        if (i <= j) {
          float swap = values[i];
          values[i] = values[j];
          values[j] = swap;
          i++;
          j--;
        }
      }
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        return values[target];
      }
    }
    return values[target];
  }
}
