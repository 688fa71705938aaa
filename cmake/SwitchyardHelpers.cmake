# Flags live on targets, not globally: every project target links sy_options.
add_library(sy_options INTERFACE)
target_compile_options(sy_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                            -Wno-unused-parameter)
# GCC 12 reports -Wrestrict inside libstdc++ for ordinary std::string concatenation at -O3
# (a false positive, GCC bug 105329); keep every other warning fatal.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(sy_options INTERFACE -Wno-restrict)
endif()
# In a unity build the batch file is GCC's main file, so every anonymous-namespace type (and every
# coroutine frame holding one) in a batched .cc looks to GCC like a header's type with internal
# linkage; the warning exists for real headers only.
if(SY_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(sy_options INTERFACE -Wno-subobject-linkage)
endif()
if(SY_WERROR)
  target_compile_options(sy_options INTERFACE -Werror)
endif()
if(SY_SANITIZE)
  target_compile_options(sy_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
  target_link_options(sy_options INTERFACE -fsanitize=address,undefined)
endif()
if(SY_TSAN)
  target_compile_options(sy_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  # GCC 12 at -O2 with TSan reports Asio's coroutine-frame operator new/delete pair as mismatched
  # (a false positive: the frame's own class-specific pair is used for both).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(sy_options INTERFACE -Wno-mismatched-new-delete)
  endif()
  target_link_options(sy_options INTERFACE -fsanitize=thread)
endif()
if(SY_THREAD_SAFETY)
  # -Wthread-safety-beta would also check the pointed-to data (PT_GUARDED_BY) more strictly; the
  # stable set is what CI holds the code to.
  target_compile_options(sy_options INTERFACE -Wthread-safety)
endif()
if(SY_FUZZ)
  # Every project target gets coverage feedback and the sanitizers; only the fuzz targets link
  # libFuzzer's main (fuzz/CMakeLists.txt).
  # -fno-sanitize=function: clang 14 cannot emit UBSan's function-type check for coroutine frames
  # together with the fuzzer's coverage ("Cannot represent a difference across sections").
  target_compile_options(sy_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function
                                              -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(sy_options INTERFACE -fsanitize=address,undefined)
endif()

# Test code (not the libraries it tests) is compiled at SY_TEST_OPTIMIZE, appended after the build
# type's flags so that it wins: a test's own code is gtest macros and fixtures that run in
# milliseconds, and at -O3 it cost a third more compile time (store_conformance_test.cc: 51 s at
# -O3, 28 s at -O1) in every CI build. The libraries and the server keep the build type's level.
set(SY_TEST_OPTIMIZE "-O1" CACHE STRING "Optimization flag for test code only (the libraries keep the build type's)")
function(sy_test_optimization target)
  if(SY_TEST_OPTIMIZE)
    target_compile_options(${target} PRIVATE ${SY_TEST_OPTIMIZE})
  endif()
endfunction()

# sy_add_test(NAME name SOURCES a.cc b.cc LIBS sy_core LABELS unit)
#
# With SY_TEST_BUNDLES (the default) the sources join their bundle: one executable per test
# directory and label set (tests/server with labels "unit;concurrency" -> server_unit_concurrency_tests),
# compiled as a unity build like the libraries. Each ctest test still runs exactly its own files'
# tests (tests/support/test_main.cc: --sy_test_file), with its own name and labels. Why: CI builds
# the tests three times (Release, clang ASan, TSan), and one executable per test file spent most of
# that time parsing gtest, gmock and nlohmann/json again for every file and linking ~150 programs.
# The TSan and ASan stages pick executables by label, which is why a bundle never mixes label sets.
option(SY_TEST_BUNDLES "One test executable per test directory and label set (see sy_add_test)" ON)
function(sy_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  if(SY_TEST_BUNDLES)
    get_filename_component(dir ${CMAKE_CURRENT_SOURCE_DIR} NAME)
    string(REPLACE ";" "_" label_key "${T_LABELS}")
    if(label_key STREQUAL dir OR label_key STREQUAL "")
      set(target ${dir}_tests)
    else()
      set(target ${dir}_${label_key}_tests)
    endif()
    if(NOT TARGET ${target})
      add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/support/test_main.cc)
      # A directory whose files cannot share a batch sets SY_TEST_UNITY OFF (tests/integration).
      set(unity ${SY_UNITY_BUILD})
      if(DEFINED SY_TEST_UNITY)
        set(unity ${SY_TEST_UNITY})
      endif()
      set_target_properties(${target} PROPERTIES UNITY_BUILD ${unity} UNITY_BUILD_BATCH_SIZE 8)
      sy_test_optimization(${target})
      target_link_libraries(${target} PRIVATE GTest::gtest GTest::gmock sy_options)
      target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
      target_compile_definitions(${target} PRIVATE SY_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
                                                   SY_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    endif()
    target_sources(${target} PRIVATE ${T_SOURCES})
    target_link_libraries(${target} PRIVATE ${T_LIBS})
    set(file_args "")
    foreach(source ${T_SOURCES})
      list(APPEND file_args --sy_test_file=${source})
    endforeach()
    add_test(NAME ${T_NAME} COMMAND ${target} ${file_args})
    set_property(GLOBAL APPEND PROPERTY SY_TEST_TARGETS "${T_NAME}=${target}")
  else()
    add_executable(${T_NAME} ${T_SOURCES})
    sy_test_optimization(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main sy_options)
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(${T_NAME} PRIVATE SY_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
                                                 SY_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set_property(GLOBAL APPEND PROPERTY SY_TEST_TARGETS "${T_NAME}=${T_NAME}")
  endif()
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
