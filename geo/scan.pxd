# C types for geo/scan.py when Cython compiles it (the .py stays the source).
cimport cython

@cython.locals(end=Py_ssize_t, value=Py_ssize_t, pattern=Py_ssize_t, start=Py_ssize_t,
               first=Py_UCS4, before=Py_UCS4, out=list)
cpdef list word_matches(object automaton, str words, str text, object offsets,
                        const long[:] lengths, const unsigned char[:] lower_ok,
                        frozenset prefix_endings)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, ch=Py_UCS4, cp=Py_ssize_t, kind=cython.int,
               folded=cython.uint, last_space=bint)
cpdef Py_ssize_t fold_words(str text, const unsigned char[:] kinds, const unsigned int[:] folds,
                            const unsigned char[:] wordy, unsigned int[:] words,
                            long[:] source) except -2
