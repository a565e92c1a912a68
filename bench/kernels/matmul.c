/* Dense double-precision matrix multiply (i-k-j loop order, so the inner loop streams rows and
   vectorises), repeated; FP multiply-add throughput and sequential memory access. */
#include <stdio.h>

#define N 400
#define REPEAT 8

static double a[N][N], b[N][N], c[N][N];

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 4.0 - 1.5;
    }
  double trace = 0;
  for (int r = 0; r < REPEAT; r++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) c[i][j] = 0;
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        double aik = a[i][k];
        for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
      }
    for (int i = 0; i < N; i++) trace += c[i][i];
    a[r][r] += 0.5;
  }
  double sum = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) sum += c[i][j] * ((i ^ j) & 3);
  printf("matmul trace %.6f weighted %.6f\n", trace, sum);
  return 0;
}
