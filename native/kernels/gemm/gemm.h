#pragma once
#include <cstdint>
#include <functional>

namespace tg {

// Row-major: C[M×N] = alpha * op(A)[M×K] * op(B)[K×N] + beta * C.
// op(A) = A (A stored M×K with row stride lda) or, if transA, A stored K×M with row stride lda (so op(A)=Aᵀ).
// op(B) = B (stored K×N, row stride ldb) or, if transB, B stored N×K (row stride ldb).
// C has row stride ldc; columns are contiguous in all three. beta == 0 means C is write-only (NaNs in C ignored).
// Results are bit-identical for any thread count: work is split over output tiles only, never over K.
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
void dgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, double alpha,
           const double* A, int64_t lda, const double* B, int64_t ldb, double beta, double* C, int64_t ldc);

// An epilogue runs on each block of C (rows [i0, i0+rows), columns [j0, j0+cols) of the whole C) as soon as
// its sums are final, on the thread that computed it, while the block is still in cache: a fused layer's
// bias and ReLU, instead of another pass over C. The blocks cover C once each.
using GemmEpilogue = std::function<void(int64_t i0, int64_t rows, int64_t j0, int64_t cols)>;
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc, const GemmEpilogue& epilogue);
void dgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, double alpha, const double* A, int64_t lda,
           const double* B, int64_t ldb, double beta, double* C, int64_t ldc, const GemmEpilogue& epilogue);

}  // namespace tg
