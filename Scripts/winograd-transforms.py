#!/usr/bin/env python3
"""Derives the Winograd F(m×m, 3×3) transform matrices used by TensorCore (Tensor+Winograd.swift)
and measures their fp32 error on one tile, for several sets of interpolation points.

Rerun (needs sympy and numpy; CI does not):  python3 Scripts/winograd-transforms.py
Construction (Toom-Cook with the point at infinity): Aᵀ[i][j] = a_j^i, G[j][k] = a_j^k / Π_{l≠j}(a_j − a_l),
the ∞ column/row picking the last coefficient; Bᵀ solves Aᵀ[(G g) ⊙ (Bᵀ d)] = correlation(d, g)
exactly (sympy). Error: a cp = 256 channel sum of 3×3 correlations of N(0,1) data with
N(0, 1/(9·cp)) kernels, U = G g Gᵀ in float64 then rounded (as TensorCore computes it in fp32
from fp32 weights, close enough), V, M, Y in fp32; max |Y − exact| / max |exact| over 20 tiles.
"""
import numpy as np
import sympy as sp

def mats(m, r, pts):
    a = len(pts)+1
    AT = sp.zeros(m, a); G = sp.zeros(a, r)
    for j,p in enumerate(pts):
        f = sp.prod([p - q for q in pts if q != p])
        for i in range(m): AT[i,j] = p**i
        for k in range(r): G[j,k] = p**k / f
    AT[m-1, a-1] = 1; G[a-1, r-1] = 1
    BT = sp.Matrix(a, a, lambda i,j: sp.Symbol(f'b{i}_{j}'))
    eqs = []
    for i in range(m):
        for k in range(r):
            for n in range(a):
                eqs.append(sum(AT[i,j]*G[j,k]*BT[j,n] for j in range(a)) - (1 if n == i+k else 0))
    sol = sp.solve(eqs, list(BT), dict=True)[0]
    BT = BT.subs(sol)
    return AT, G, BT
def err(m, pts, cp=256, trials=20, seed=0):
    AT,G,BT = [np.array(x.tolist(), dtype=np.float64) for x in mats(m,3,pts)]
    rng = np.random.default_rng(seed); a = m+2; worst=0; rms=[]
    for _ in range(trials):
        d = rng.standard_normal((cp, a, a)); g = rng.standard_normal((cp,3,3))/np.sqrt(cp*9)
        ref = np.zeros((m,m))
        for i in range(m):
            for j in range(m): ref[i,j] = np.sum(d[:, i:i+3, j:j+3]*g)
        d32=d.astype(np.float32); U=np.einsum('ai,cij,bj->cab',G,g,G).astype(np.float32)
        BT32=BT.astype(np.float32); AT32=AT.astype(np.float32)
        V=np.einsum('ai,cij,bj->cab',BT32,d32,BT32).astype(np.float32)
        M=np.einsum('cab,cab->ab',U,V, dtype=np.float32)
        Y=(AT32@M@AT32.T).astype(np.float32)
        e=np.abs(Y-ref).max()/np.abs(ref).max(); worst=max(worst,e); rms.append(np.sqrt(np.mean((Y-ref)**2)/np.mean(ref**2)))
    return worst, np.mean(rms)
R=sp.Rational
for m, pts in [(2,[0,1,-1]),(3,[0,1,-1,2]),(3,[0,1,-1,R(1,2)]),(3,[0,1,-1,-2]),(3,[0,1,-1,R(-1,2)]),(4,[0,1,-1,2,-2]),(4,[0,1,-1,R(1,2),-2]),(4,[0,1,-1,R(1,2),R(-1,2)]),(4,[0,1,-1,2,R(-1,2)])]:
    print(m, pts, "max rel %.2e rms rel %.2e" % err(m, pts))
for m, pts in [(2,[0,1,-1]),(3,[0,1,-1,-2]),(4,[0,1,-1,R(1,2),-2])]:
    AT,G,BT = mats(m,3,pts)
    print("m",m); print("AT",AT.tolist()); print("G",G.tolist()); print("BT",BT.tolist())
